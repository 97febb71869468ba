//! Open311 POST requests.{json,xml} body: form_urlencoded decoding into pairs, then the field
//! checks that need no database (service_code, lat/long, location, description, attribute[…]).
use tabane_infra::open311::intake::Posted;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let posted = Posted::from_form(data);
        let _ = posted.get("api_key");
        let Ok(r) = posted.request() else { return };
        if let Some((lat, long)) = r.point {
            assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&long));
        }
        assert!(r.point.is_some() || r.address.is_some() || posted.get("address_id").is_some());
        assert!(r.description.is_none_or(|d| d.chars().count() <= 4000));
        for a in r.service.attributes {
            match r.attributes.get(a.code) {
                None => assert!(!a.required, "required attribute {} missing", a.code),
                Some(serde_json::Value::Array(vals)) => {
                    for v in vals {
                        let v = v.as_str().expect("attribute values are strings");
                        assert!(a.values.is_empty() || a.values.iter().any(|(k, _)| *k == v), "{v}");
                    }
                }
                Some(other) => panic!("attribute {} is not a list: {other}", a.code),
            }
        }
        assert_eq!(r.danger, posted.attribute("danger").contains(&"yes"));
    });
}
