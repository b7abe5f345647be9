//! Pub/sub: channels and patterns, PUBLISH, PUBSUB introspection, and the subscribed state
//! of a client (RESP2: only (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING, QUIT and RESET run).
//! Keyspace notifications are published through `Server::publish` too.

use super::args::Args;
use super::common::help_lines;
use super::table::{key, Channels, Group, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::glob::Pattern;
use crate::reply::Reply;
use crate::server::pubsub::Kind;
use crate::server::Ctx;

// ---- data operations ----

/// A (un)subscription confirmation: a push in RESP3, an array in RESP2.
fn confirmation(kind: &str, name: Option<&[u8]>, count: usize) -> Reply {
    Reply::Push(vec![
        Reply::bulk(kind),
        name.map_or(Reply::Nil, Reply::bulk),
        Reply::Int(count as i64),
    ])
}

/// SUBSCRIBE and PSUBSCRIBE: one confirmation per name, with the client's count after it.
fn subscribe_generic(ctx: &mut Ctx, names: &[Vec<u8>], kind: Kind, word: &str) -> CmdResult {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        ctx.server.subscribe(ctx.client, kind, name);
        let count = ctx.server.subscriptions().count_of(ctx.client, kind);
        out.push(confirmation(word, Some(name), count));
    }
    Ok(Reply::Multi(out))
}

/// UNSUBSCRIBE and PUNSUBSCRIBE: the names given, or every one of the kind; with none at
/// all, one confirmation with a nil name.
fn unsubscribe_generic(ctx: &mut Ctx, names: &[Vec<u8>], kind: Kind, word: &str) -> CmdResult {
    let names: Vec<Vec<u8>> = if names.is_empty() {
        ctx.server.subscriptions().of(ctx.client, kind).to_vec()
    } else {
        names.to_vec()
    };
    if names.is_empty() {
        let count = ctx.server.subscriptions().count_of(ctx.client, kind);
        return Ok(Reply::Multi(vec![confirmation(word, None, count)]));
    }
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        ctx.server.unsubscribe(ctx.client, kind, &name);
        let count = ctx.server.subscriptions().count_of(ctx.client, kind);
        out.push(confirmation(word, Some(&name), count));
    }
    Ok(Reply::Multi(out))
}

// ---- command handlers ----

/// SUBSCRIBE channel [channel ...]
fn subscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    subscribe_generic(ctx, Args::new(argv).rest(), Kind::Channel, "subscribe")
}

/// UNSUBSCRIBE [channel [channel ...]]
fn unsubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    unsubscribe_generic(ctx, Args::new(argv).rest(), Kind::Channel, "unsubscribe")
}

/// PSUBSCRIBE pattern [pattern ...]
fn psubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    subscribe_generic(ctx, Args::new(argv).rest(), Kind::Pattern, "psubscribe")
}

/// PUNSUBSCRIBE [pattern [pattern ...]]
fn punsubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    unsubscribe_generic(ctx, Args::new(argv).rest(), Kind::Pattern, "punsubscribe")
}

/// SSUBSCRIBE shardchannel [shardchannel ...]: inside MULTI it is refused (Redis's
/// DENY BLOCKING), unlike SUBSCRIBE.
fn ssubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if ctx.deny_blocking() {
        return Err(CmdError::Err(
            "SSUBSCRIBE isn't allowed for a DENY BLOCKING client".into(),
        ));
    }
    subscribe_generic(ctx, Args::new(argv).rest(), Kind::Shard, "ssubscribe")
}

/// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
fn sunsubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    unsubscribe_generic(ctx, Args::new(argv).rest(), Kind::Shard, "sunsubscribe")
}

/// SPUBLISH shardchannel message
fn spublish(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let [channel, message] = Args::new(argv).values()?;
    Ok(Reply::Int(ctx.server.spublish(channel, message)))
}

/// PUBLISH channel message
fn publish(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let [channel, message] = Args::new(argv).values()?;
    Ok(Reply::Int(ctx.server.publish(channel, message)))
}

/// PUBSUB CHANNELS [pattern]
fn pubsub_channels(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    channels_generic(ctx, argv, false)
}

/// PUBSUB SHARDCHANNELS [pattern]
fn pubsub_shardchannels(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    channels_generic(ctx, argv, true)
}

/// The channels (or shard channels) with subscribers, matching the pattern if given.
fn channels_generic(ctx: &mut Ctx, argv: &[Vec<u8>], shard: bool) -> CmdResult {
    let pat = Args::of_sub(argv).next_opt().map(Pattern::new);
    let mut names: Vec<&[u8]> = ctx
        .server
        .subscriptions()
        .active_channels(shard)
        .filter(|c| pat.as_ref().is_none_or(|p| p.matches(c)))
        .collect();
    crate::sorting::sort(&mut names);
    Ok(Reply::bulks(names))
}

/// PUBSUB NUMSUB [channel [channel ...]]
fn pubsub_numsub(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    numsub_generic(ctx, argv, false)
}

/// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
fn pubsub_shardnumsub(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    numsub_generic(ctx, argv, true)
}

/// Each channel given (or shard channel) with its number of subscribers.
fn numsub_generic(ctx: &mut Ctx, argv: &[Vec<u8>], shard: bool) -> CmdResult {
    let mut out = Vec::new();
    for ch in Args::of_sub(argv).rest() {
        out.push(Reply::bulk(ch));
        out.push(Reply::from(
            ctx.server.subscriptions().subscribers(shard, ch),
        ));
    }
    Ok(Reply::Array(out))
}

/// PUBSUB NUMPAT
fn pubsub_numpat(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::from(ctx.server.subscriptions().distinct_patterns()))
}

/// PUBSUB HELP
fn pubsub_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "PUBSUB",
        &[
            "CHANNELS [<pattern>]",
            "    The channels with at least one subscriber, optionally matching a glob pattern.",
            "NUMPAT",
            "    How many distinct patterns clients are subscribed to.",
            "NUMSUB [<channel> ...]",
            "    How many clients subscribe to each channel.",
            "SHARDCHANNELS [<pattern>]",
            "    The shard channels with subscribers (none here).",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    How many clients subscribe to each shard channel.",
        ],
    ))
}

// ---- the table ----

const P: Command = Command {
    name: "",
    arity: -2,
    flags: flags![PUBSUB, NOSCRIPT, LOADING, STALE, SUBSCRIBED_OK],
    acl: acl![PUBSUB, SLOW],
    keys: (0, 0, 0),
    key_specs: &[],
    tips: &[],
    group: Group::Pubsub,
    since: "2.0.0",
    complexity: "O(N) where N is the number of channels to subscribe to.",
    summary: "",
    syntax: "",
    handler: publish,
    subcommands: &[],
    ..BASE
};

const PS: Command = Command {
    arity: 2,
    flags: flags![PUBSUB, LOADING, STALE],
    acl: acl![PUBSUB, SLOW],
    since: "2.8.0",
    ..P
};

pub const COMMANDS: &[Command] = &[
    Command { name: "psubscribe", link: Link::Refused("subscribing takes the console over"), summary: "Listen for messages on every channel matching glob patterns",
        complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
        syntax: "pattern [pattern ...]", handler: psubscribe, channels: Some(Channels::Pattern), ..P },
    Command { name: "publish", arity: 3, flags: flags![PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE], acl: acl![PUBSUB, FAST], since: "2.0.0",
        complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
        summary: "Send a message to a channel; returns how many clients received it",
        syntax: "channel message", handler: publish, channels: Some(Channels::Publish), ..P },
    Command { name: "pubsub", arity: -2, flags: flags![], acl: acl![SLOW], since: "2.8.0", complexity: "Depends on subcommand.",
        summary: "Look at the state of pub/sub: active channels, subscriber counts", syntax: "subcommand [arguments]",
        handler: super::container_handler,
        subcommands: &[
            Command { name: "pubsub|channels", arity: -2, complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
                summary: "The channels that have at least one subscriber", syntax: "[pattern]", handler: pubsub_channels, ..PS },
            Command { name: "pubsub|help", arity: 2, flags: flags![LOADING, STALE], acl: acl![SLOW], since: "6.2.0", complexity: "O(1)",
                summary: "Show what PUBSUB can do", handler: pubsub_help, ..PS },
            Command { name: "pubsub|numpat", complexity: "O(1)", summary: "How many distinct patterns have subscribers",
                handler: pubsub_numpat, ..PS },
            Command { name: "pubsub|numsub", arity: -2, complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                summary: "How many clients subscribe to each given channel", syntax: "[channel [channel ...]]",
                handler: pubsub_numsub, ..PS },
            Command { name: "pubsub|shardchannels", arity: -2, since: "7.0.0", complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
                summary: "The shard channels that have at least one subscriber", syntax: "[pattern]",
                handler: pubsub_shardchannels, ..PS },
            Command { name: "pubsub|shardnumsub", arity: -2, since: "7.0.0", complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                summary: "How many clients subscribe to each given shard channel", syntax: "[shardchannel [shardchannel ...]]",
                handler: pubsub_shardnumsub, ..PS },
        ], ..P },
    Command { name: "punsubscribe", arity: -1, complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
        summary: "Stop listening on patterns (all of them if none is given)", syntax: "[pattern [pattern ...]]",
        handler: punsubscribe, ..P },
    Command { name: "spublish", arity: 3, flags: flags![PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE], acl: acl![PUBSUB, FAST], since: "7.0.0",
        keys: (1, 1, 1), key_specs: &[key(1, key_flags![NOT_KEY])],
        complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
        summary: "Send a message to a shard channel; returns how many clients received it",
        syntax: "shardchannel message", handler: spublish, channels: Some(Channels::Publish), ..P },
    Command { name: "ssubscribe", link: Link::Refused("subscribing takes the console over"), since: "7.0.0",
        keys: (1, -1, 1), key_specs: &[key(1, key_flags![NOT_KEY]).range(-1, 1, 0)],
        complexity: "O(N) where N is the number of shard channels to subscribe to.",
        summary: "Listen for messages on shard channels (a namespace of their own: SPUBLISH)", syntax: "shardchannel [shardchannel ...]",
        handler: ssubscribe, channels: Some(Channels::Subscribe), ..P },
    Command { name: "subscribe", link: Link::Refused("subscribing takes the console over"), summary: "Listen for messages on channels", syntax: "channel [channel ...]",
        handler: subscribe, channels: Some(Channels::Subscribe), ..P },
    Command { name: "unsubscribe", arity: -1, complexity: "O(N) where N is the number of clients already subscribed to a channel.",
        summary: "Stop listening on channels (all of them if none is given)", syntax: "[channel [channel ...]]",
        handler: unsubscribe, ..P },
    Command { name: "sunsubscribe", arity: -1, since: "7.0.0",
        keys: (1, -1, 1), key_specs: &[key(1, key_flags![NOT_KEY]).range(-1, 1, 0)],
        complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
        summary: "Stop listening on shard channels (all of them if none is given)", syntax: "[shardchannel [shardchannel ...]]",
        handler: sunsubscribe, ..P },
];
