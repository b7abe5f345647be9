//! The rule language, descriptions and persistence of users, natively.

use super::*;

fn ops(s: &str) -> Vec<Vec<u8>> {
    s.split(' ').map(|w| w.as_bytes().to_vec()).collect()
}

#[test]
fn a_new_user_is_off_with_nothing_allowed() {
    let mut acl = Acl::default();
    acl.set_user(b"foo", &[]).unwrap();
    assert_eq!(
        acl.user(b"foo").unwrap().describe(),
        "off resetchannels -@all"
    );
    assert_eq!(
        acl.user(b"default").unwrap().describe(),
        "on nopass ~* &* +@all"
    );
}

#[test]
fn rules_describe_back_as_redis_writes_them() {
    // Redis lists single commands in its hash table's order; the table's order here.
    let mut acl = Acl::default();
    acl.set_user(
        b"bar",
        &ops("on >pw ~k* %R~r* %W~w* %RW~x* &ch* +get +set -@all +@hash -hget +client|id +select|0 (~s* +get) (%R~t* +@read)"),
    )
    .unwrap();
    assert_eq!(
        acl.user(b"bar").unwrap().describe(),
        "on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~k* %R~r* %W~w* ~x* resetchannels &ch* -@all +@hash -hget +select|0 +client|id (~s* resetchannels -@all +get) (%R~t* resetchannels -@all +@read)"
    );
}

#[test]
fn a_bad_rule_changes_nothing() {
    let mut acl = Acl::default();
    acl.set_user(b"u", &ops("on +get")).unwrap();
    let before = acl.user(b"u").cloned();
    let err = acl.set_user(b"u", &ops("+set nosuchrule")).unwrap_err();
    assert_eq!(
        err,
        "Error in ACL SETUSER modifier 'nosuchrule': Syntax error"
    );
    assert_eq!(acl.user(b"u").cloned(), before);
    assert_eq!(
        acl.set_user(b"u", &ops("~* ~a")).unwrap_err(),
        format!(
            "Error in ACL SETUSER modifier '~a': {}",
            RuleError::KeysAfterAll.text()
        )
    );
    assert_eq!(
        acl.set_user(b"u", &ops("(~a +get")).unwrap_err(),
        "Unmatched parenthesis in acl selector starting at '(~a'."
    );
    for (op, e) in [
        ("+nosuch", RuleError::Unknown),
        ("-@nosuch", RuleError::Unknown),
        ("+config|get|x", RuleError::FirstArgOfSubcommand),
        ("+select|", RuleError::Syntax),
        ("#abc", RuleError::BadHash),
        ("<nope", RuleError::NoSuchPassword),
        ("%X~a", RuleError::Syntax),
        ("+", RuleError::Unknown),
        ("-get|x", RuleError::Unknown),
    ] {
        let got = acl.set_user(b"u", &[op.as_bytes().to_vec()]).unwrap_err();
        assert!(got.ends_with(e.text()), "{op}: {got}");
    }
}

#[test]
fn passwords_are_checked_by_digest() {
    let mut acl = Acl::default();
    acl.set_user(b"u", &ops("on >secret")).unwrap();
    assert!(acl.credentials_ok(b"u", b"secret"));
    assert!(!acl.credentials_ok(b"u", b"other"));
    acl.set_user(b"u", &ops("off")).unwrap();
    assert!(!acl.credentials_ok(b"u", b"secret"));
    assert!(!acl.credentials_ok(b"nobody", b""));
}

#[test]
fn users_survive_export_and_import() {
    let mut acl = Acl::default();
    acl.set_user(
        b"bar",
        &ops("on >pw ~k* %R~r* &ch* -@all +@hash -hget +select|0 (~s* +get)"),
    )
    .unwrap();
    acl.set_user(b"default", &ops(">x")).unwrap();
    let lines = acl.export();
    assert_eq!(lines.len(), 2);
    let back = Acl::import(&lines).unwrap();
    assert_eq!(back.user(b"bar"), acl.user(b"bar"));
    assert_eq!(back.user(b"default"), acl.user(b"default"));
}
