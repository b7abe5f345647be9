//! ACL and AUTH on the engine: what differs by design or by chance from a real server
//! (the ACL LOG's ages and client lines, GENPASS's random hex, the order of ACL CAT) in a
//! transcript, and users surviving a saved world.

mod common;

use common::{session, T0};

#[test]
fn acl_transcript() {
    common::check_file("acl.txt");
}

fn acl_list(s: &mut redis_playground::World) -> String {
    s.exec("ACL LIST")
}

#[test]
fn users_survive_a_saved_world_and_debug_reload_leaves_them() {
    let mut s = session();
    s.exec("ACL SETUSER bob on >pw ~b:* %R~r:* &news -@all +@hash -hdel +select|0 (~s* +get)");
    s.exec("ACL SETUSER default >secret");
    s.exec("SET k v");
    let before = acl_list(&mut s);
    assert!(before.contains("user bob on #"), "{before}");
    let bytes = s.snapshot(T0).unwrap();

    let mut fresh = session();
    fresh.restore(&bytes, T0).expect("loads");
    assert_eq!(acl_list(&mut fresh), before);
    // The default user's password came back: a new console must AUTH.
    let id = fresh.open_console(T0);
    let mut c = fresh.console(id).unwrap();
    assert_eq!(c.exec("GET k"), "(error) NOAUTH Authentication required.");
    assert_eq!(c.exec("AUTH bob pw"), "OK");
    assert_eq!(c.exec("HGET b:h f"), "(nil)");
    assert_eq!(
        c.exec("HDEL b:h f"),
        "(error) NOPERM this user has no permissions to run the 'hdel' command"
    );

    // A world saved without users brings back only the default user.
    let mut plain = session();
    let empty = plain.snapshot(T0).unwrap();
    fresh.restore(&empty, T0).expect("loads");
    assert_eq!(
        acl_list(&mut fresh),
        "1) \"user default on nopass ~* &* +@all\""
    );

    // DEBUG RELOAD reloads the keys, not the users.
    s.exec("ACL SETUSER carol on nopass +@all");
    assert_eq!(s.exec("DEBUG RELOAD"), "OK");
    assert!(acl_list(&mut s).contains("user carol on nopass"));
}

#[test]
fn an_export_recreates_the_users_but_not_the_default_users_password() {
    let mut s = session();
    s.exec("ACL SETUSER bob on >pw ~b:* -@all +get");
    s.exec("CONFIG SET requirepass secret");
    let script = s.export_script(T0).unwrap();
    assert!(
        script.contains("\"ACL\" \"SETUSER\" \"bob\" \"reset\" \"on\" \"#"),
        "{script}"
    );
    assert!(!script.contains("SETUSER default"), "{script}");
}

#[test]
fn taking_a_channel_away_closes_the_users_subscribers_that_hold_it() {
    let mut s = session();
    s.exec("ACL SETUSER bob on nopass +@all ~* &news &sport");
    let one = s.open_console(T0);
    let two = s.open_console(T0);
    for (id, channel) in [(one, "news"), (two, "sport")] {
        let mut c = s.console(id).unwrap();
        assert_eq!(c.exec("AUTH bob x"), "OK");
        c.exec(&format!("SUBSCRIBE {channel}"));
        assert!(c.is_connected());
    }
    assert_eq!(s.exec("ACL SETUSER bob resetchannels &sport"), "OK");
    assert!(!s.console(one).unwrap().is_connected());
    assert!(s.console(two).unwrap().is_connected());
    assert_eq!(
        s.exec("PUBSUB NUMSUB news sport"),
        "1) \"news\"\n2) (integer) 0\n3) \"sport\"\n4) (integer) 1"
    );
}
