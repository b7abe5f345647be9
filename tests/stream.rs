//! Streams' consumer groups on the world clock (idle times, claims, blocking reads across
//! consoles): the transcripts in tests/scripts, each checked line by line. The replies
//! that don't depend on time are compared with a real redis-server by the differential
//! corpus (tests/corpus/stream*.redis).

mod common;

#[test]
fn consumer_groups_on_the_world_clock() {
    common::check_file("stream_groups.txt");
}

#[test]
fn blocking_group_reads_across_consoles() {
    common::check_file("stream_blocking.txt");
}
