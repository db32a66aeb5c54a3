//! The settings: defaults, partial updates, limits and the session configs they build.

use super::*;
use crate::engine::Session;

#[test]
fn the_defaults_are_the_engines_and_build_hello() {
    let s = RnnSettings::default();
    assert_eq!(s.session_config().unwrap(), SessionConfig::default());
    let t = RnnSettings::text_mode().session_config().unwrap();
    assert_eq!(
        (t.model.hidden, t.seq_len, t.model.weight_scale),
        (100, Some(25), 0.01)
    );
}

#[test]
fn names_parse_into_the_engines_enums() {
    let s: RnnSettings = serde_json::from_str(
        r#"{"word":"hi there","act":"relu","opt":"adam","clip":"norm","clipc":2,"k1":5,"chapter":"steps"}"#,
    )
    .unwrap();
    assert_eq!(
        (s.act, s.opt, s.clip),
        (Activation::Relu, OptimizerKind::Adam, ClipKind::Norm)
    );
    assert_eq!(s.clip(), Clip::Norm(2.0));
    assert_eq!(s.truncation(), Some((5, 5)));
    let err = serde_json::from_str::<RnnSettings>(r#"{"act":"softsign"}"#).unwrap_err();
    assert!(
        err.to_string().contains("the activation must be tanh"),
        "{err}"
    );
    let text: RnnSettings = serde_json::from_str(r#"{"text":"abc"}"#).unwrap();
    assert_eq!(text.word, "abc");
}

#[test]
fn a_patch_rebuilds_only_for_model_settings_and_null_clears_truncation() {
    let s = RnnSettings {
        k1: Some(3),
        ..RnnSettings::default()
    };
    let p: RnnSettingsPatch = serde_json::from_str(r#"{"lr":0.5,"opt":"sgd","k1":null}"#).unwrap();
    assert!(!p.changes_model(&s));
    let n = p.apply(&s);
    assert_eq!(
        (n.lr, n.opt, n.k1, n.word.as_str()),
        (0.5, OptimizerKind::Sgd, None, "hello")
    );
    let keep: RnnSettingsPatch = serde_json::from_str(r#"{"lr":0.5}"#).unwrap();
    assert_eq!(keep.apply(&s).k1, Some(3));
    let p: RnnSettingsPatch = serde_json::from_str(r#"{"hidden":4,"seed":3}"#).unwrap();
    assert!(p.changes_model(&s));
    let same: RnnSettingsPatch = serde_json::from_str(r#"{"hidden":3}"#).unwrap();
    assert!(
        !same.changes_model(&s),
        "an unchanged value does not rebuild"
    );
}

#[test]
fn text_mode_refusals_say_what_is_wrong() {
    let base = RnnSettings::text_mode();
    let msg = |s: RnnSettings| s.session_config().unwrap_err().to_string();
    assert!(
        msg(RnnSettings {
            word: String::new(),
            ..base.clone()
        })
        .contains("empty")
    );
    assert!(
        msg(RnnSettings {
            word: "a".repeat(MAX_TEXT_BYTES + 1),
            ..base.clone()
        })
        .contains("100 KB")
    );
    assert!(
        msg(RnnSettings {
            hidden: 257,
            ..base.clone()
        })
        .contains("257")
    );
    assert!(
        msg(RnnSettings {
            seq: 257,
            ..base.clone()
        })
        .contains("256")
    );
    assert!(
        msg(RnnSettings {
            word: "abc".into(),
            ..base.clone()
        })
        .contains("at least 26")
    );
    assert!(Session::new(base.session_config().unwrap()).is_ok());
    assert!(seed_from(-1.0).is_err() && seed_from(0.5).is_err() && seed_from(f64::NAN).is_err());
    assert_eq!(seed_from(42.0).unwrap(), 42);
}

#[test]
fn whole_numbers_refuse_what_a_usize_would_wrap() {
    assert_eq!(whole_number("n", 5.0, 10).unwrap(), 5);
    for bad in [-1.0, 11.0, 2.5, f64::NAN, f64::INFINITY, 1e300] {
        let e = whole_number("the number of iterations", bad, 10)
            .unwrap_err()
            .to_string();
        assert!(e.contains("from 0 to 10"), "{e}");
    }
    assert_eq!(
        whole_number("t", 4e9, usize::MAX).unwrap(),
        4_000_000_000u64 as usize
    );
    assert!(whole_number("t", 1e17, usize::MAX).is_err());
}
