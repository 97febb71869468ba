//! `tabane infra hazard fit --pairs FILE --json`: fitted θ, standard errors and log-likelihood.

use std::process::Command;

/// Deterministic uniform numbers for the simulation (no RNG dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / ((1u64 << 53) as f64)
    }
}

fn simulate(theta: &[f64], n: usize) -> String {
    let mut rng = Lcg(42);
    let mut csv = String::from("前回健全性,今回健全性,間隔（年）,補修\n");
    let roman = ["I", "II", "III", "IV"];
    for _ in 0..n {
        let start = 1 + (rng.next() * 3.0) as usize;
        let years = 1.0 + rng.next() * 9.0;
        let (mut g, mut t) = (start, 0.0);
        while g < 4 {
            t += -rng.next().ln() / theta[g - 1];
            if t > years {
                break;
            }
            g += 1;
        }
        csv.push_str(&format!("{},{},{years:.3},いいえ\n", roman[start - 1], roman[g - 1]));
    }
    csv
}

#[test]
fn fits_simulated_pairs_and_reports_bad_rows() {
    let dir = std::env::temp_dir().join(format!("tabane-hazard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pairs.csv");
    std::fs::write(&file, simulate(&[0.08, 0.15, 0.25], 4000)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tabane"))
        .args(["infra", "hazard", "fit", "--pairs", file.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (i, truth) in [0.08, 0.15, 0.25].iter().enumerate() {
        let est = v["theta"][i].as_f64().unwrap();
        let se = v["theta_std_err"][i].as_f64().unwrap();
        assert!((est - truth).abs() < 4.0 * se, "θ{} = {est} ± {se}, truth {truth}", i + 1);
    }
    assert!(v["log_likelihood"].as_f64().unwrap() < 0.0);

    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "前回健全性,今回健全性,間隔（年）\nI,II,5\nV,II,5\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tabane"))
        .args(["infra", "hazard", "fit", "--pairs", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("3行目"));
    // Too few pairs: the grades that cannot be estimated are named, not printed as numbers.
    let few = dir.join("few.csv");
    std::fs::write(&few, simulate(&[0.08, 0.15, 0.25], 12)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tabane"))
        .args(["infra", "hazard", "fit", "--pairs", few.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    if out.status.success() {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!v["not_estimated"].as_array().unwrap().is_empty(), "{v}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
