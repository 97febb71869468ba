//! 写真の位置情報 (a photo's EXIF GPS position). Used only to prefill a job's location when it
//! has none; never for access decisions, since anyone can write any EXIF.

use exif::{In, Reader, Tag, Value};

/// (lat, lon) in decimal degrees, if the photo carries a GPS position.
pub fn read(bytes: &[u8]) -> Option<(f64, f64)> {
    let data = Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)).ok()?;
    let coord = |tag: Tag, reference: Tag| -> Option<f64> {
        let f = data.get_field(tag, In::PRIMARY)?;
        let Value::Rational(v) = &f.value else { return None };
        if v.len() < 3 || v.iter().any(|r| r.denom == 0) {
            return None;
        }
        let deg = v[0].to_f64() + v[1].to_f64() / 60.0 + v[2].to_f64() / 3600.0;
        let r = data.get_field(reference, In::PRIMARY)?.display_value().to_string();
        Some(if r.contains('S') || r.contains('W') { -deg } else { deg })
    };
    let lat = coord(Tag::GPSLatitude, Tag::GPSLatitudeRef)?;
    let lon = coord(Tag::GPSLongitude, Tag::GPSLongitudeRef)?;
    // Only positions inside Japan are plausible for a job here.
    ((20.0..=46.0).contains(&lat) && (122.0..=154.0).contains(&lon)).then_some((lat, lon))
}

/// A minimal JPEG carrying only an EXIF GPS position (for tests and the demo).
pub fn jpeg_with_gps(lat: f64, lon: f64) -> Vec<u8> {
    use exif::{Field, Rational, experimental::Writer};
    let dms = |v: f64| {
        let d = v.abs().floor();
        let m = ((v.abs() - d) * 60.0).floor();
        let s = ((v.abs() - d) * 60.0 - m) * 60.0;
        vec![
            Rational { num: d as u32, denom: 1 },
            Rational { num: m as u32, denom: 1 },
            Rational { num: (s * 1000.0).round() as u32, denom: 1000 },
        ]
    };
    let fields = [
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![if lat >= 0.0 { b"N".to_vec() } else { b"S".to_vec() }]),
        },
        Field { tag: Tag::GPSLatitude, ifd_num: In::PRIMARY, value: Value::Rational(dms(lat)) },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![if lon >= 0.0 { b"E".to_vec() } else { b"W".to_vec() }]),
        },
        Field { tag: Tag::GPSLongitude, ifd_num: In::PRIMARY, value: Value::Rational(dms(lon)) },
    ];
    let mut w = Writer::new();
    for f in &fields {
        w.push_field(f);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    w.write(&mut tiff, false).expect("writing EXIF to memory");
    let tiff = tiff.into_inner();
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    let len = (tiff.len() + 8) as u16;
    jpeg.extend_from_slice(&len.to_be_bytes());
    jpeg.extend_from_slice(b"Exif\0\0");
    jpeg.extend_from_slice(&tiff);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_back_the_position_it_wrote() {
        let (lat, lon) = super::read(&super::jpeg_with_gps(34.6797, 138.9453)).unwrap();
        assert!((lat - 34.6797).abs() < 1e-5 && (lon - 138.9453).abs() < 1e-5, "{lat},{lon}");
        assert_eq!(super::read(b"not a photo"), None);
    }
}
