//! Pub/sub: channels and patterns, PUBLISH, PUBSUB introspection, and the subscribed state
//! of a client (RESP2: only (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING, QUIT and RESET run).
//! Keyspace notifications are published through `Server::publish` too.

use super::keyspace::help_lines;
use super::table::{Group, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::glob::Pattern;
use crate::reply::Reply;
use crate::server::{ClientId, Ctx, Server};

// ---- data operations ----

fn subscription_count(server: &Server, client: ClientId) -> i64 {
    let c = &server.clients[client];
    (c.channels.len() + c.patterns.len()) as i64
}

fn confirmation(kind: &str, name: Option<&[u8]>, count: i64) -> Reply {
    Reply::Array(vec![
        Reply::bulk(kind),
        name.map_or(Reply::Nil, Reply::bulk),
        Reply::Int(count),
    ])
}

impl Server {
    /// Deliver `message` on `channel` to its subscribers and to matching patterns, in
    /// subscription order; returns how many clients received it.
    pub fn publish(&mut self, channel: &[u8], message: &[u8]) -> i64 {
        let mut receivers = 0;
        let subscribers: Vec<ClientId> = self
            .channel_subscribers
            .get(channel)
            .cloned()
            .unwrap_or_default();
        for id in subscribers {
            self.clients[id].inbox.push_back(Reply::Array(vec![
                Reply::bulk("message"),
                Reply::bulk(channel),
                Reply::bulk(message),
            ]));
            receivers += 1;
        }
        let patterns: Vec<(Vec<u8>, ClientId)> = self
            .pattern_subscribers
            .iter()
            .filter(|(p, _)| Pattern::new(p).matches(channel))
            .cloned()
            .collect();
        for (p, id) in patterns {
            self.clients[id].inbox.push_back(Reply::Array(vec![
                Reply::bulk("pmessage"),
                Reply::Bulk(p),
                Reply::bulk(channel),
                Reply::bulk(message),
            ]));
            receivers += 1;
        }
        receivers
    }

    fn subscribe(&mut self, client: ClientId, channel: &[u8]) {
        if !self.clients[client].channels.iter().any(|c| c == channel) {
            self.clients[client].channels.push(channel.to_vec());
            self.channel_subscribers
                .entry(channel.to_vec())
                .or_default()
                .push(client);
        }
    }

    fn unsubscribe(&mut self, client: ClientId, channel: &[u8]) -> bool {
        let c = &mut self.clients[client];
        let Some(pos) = c.channels.iter().position(|x| x == channel) else {
            return false;
        };
        c.channels.remove(pos);
        if let Some(list) = self.channel_subscribers.get_mut(channel) {
            list.retain(|&id| id != client);
            if list.is_empty() {
                self.channel_subscribers.remove(channel);
            }
        }
        true
    }

    fn psubscribe(&mut self, client: ClientId, pattern: &[u8]) {
        if !self.clients[client].patterns.iter().any(|p| p == pattern) {
            self.clients[client].patterns.push(pattern.to_vec());
            self.pattern_subscribers.push((pattern.to_vec(), client));
        }
    }

    fn punsubscribe(&mut self, client: ClientId, pattern: &[u8]) -> bool {
        let c = &mut self.clients[client];
        let Some(pos) = c.patterns.iter().position(|x| x == pattern) else {
            return false;
        };
        c.patterns.remove(pos);
        self.pattern_subscribers
            .retain(|(p, id)| !(p == pattern && *id == client));
        true
    }

    /// Drop every subscription of a client (a closed connection, RESET).
    pub fn unsubscribe_all(&mut self, client: ClientId) {
        for ch in std::mem::take(&mut self.clients[client].channels) {
            if let Some(list) = self.channel_subscribers.get_mut(&ch) {
                list.retain(|&id| id != client);
                if list.is_empty() {
                    self.channel_subscribers.remove(&ch);
                }
            }
        }
        self.clients[client].patterns.clear();
        self.pattern_subscribers.retain(|(_, id)| *id != client);
    }
}

// ---- command handlers ----

/// SUBSCRIBE channel [channel ...]
fn subscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut out = Vec::new();
    for ch in &argv[1..] {
        ctx.server.subscribe(ctx.client, ch);
        out.push(confirmation(
            "subscribe",
            Some(ch),
            subscription_count(ctx.server, ctx.client),
        ));
    }
    Ok(Reply::Multi(out))
}

/// UNSUBSCRIBE [channel [channel ...]]
fn unsubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let channels: Vec<Vec<u8>> = if argv.len() > 1 {
        argv[1..].to_vec()
    } else {
        ctx.server.clients[ctx.client].channels.clone()
    };
    if channels.is_empty() {
        return Ok(Reply::Multi(vec![confirmation(
            "unsubscribe",
            None,
            subscription_count(ctx.server, ctx.client),
        )]));
    }
    let mut out = Vec::new();
    for ch in channels {
        ctx.server.unsubscribe(ctx.client, &ch);
        out.push(confirmation(
            "unsubscribe",
            Some(&ch),
            subscription_count(ctx.server, ctx.client),
        ));
    }
    Ok(Reply::Multi(out))
}

/// PSUBSCRIBE pattern [pattern ...]
fn psubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut out = Vec::new();
    for p in &argv[1..] {
        ctx.server.psubscribe(ctx.client, p);
        out.push(confirmation(
            "psubscribe",
            Some(p),
            subscription_count(ctx.server, ctx.client),
        ));
    }
    Ok(Reply::Multi(out))
}

/// PUNSUBSCRIBE [pattern [pattern ...]]
fn punsubscribe(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let patterns: Vec<Vec<u8>> = if argv.len() > 1 {
        argv[1..].to_vec()
    } else {
        ctx.server.clients[ctx.client].patterns.clone()
    };
    if patterns.is_empty() {
        return Ok(Reply::Multi(vec![confirmation(
            "punsubscribe",
            None,
            subscription_count(ctx.server, ctx.client),
        )]));
    }
    let mut out = Vec::new();
    for p in patterns {
        ctx.server.punsubscribe(ctx.client, &p);
        out.push(confirmation(
            "punsubscribe",
            Some(&p),
            subscription_count(ctx.server, ctx.client),
        ));
    }
    Ok(Reply::Multi(out))
}

/// PUBLISH channel message
fn publish(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Int(ctx.server.publish(&argv[1], &argv[2])))
}

/// PUBSUB CHANNELS [pattern]
fn pubsub_channels(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let pat = argv.get(2).map(|p| Pattern::new(p));
    let mut names: Vec<&Vec<u8>> = ctx
        .server
        .channel_subscribers
        .keys()
        .filter(|c| pat.as_ref().is_none_or(|p| p.matches(c)))
        .collect();
    crate::sorting::sort(&mut names);
    Ok(Reply::bulks(names))
}

/// PUBSUB NUMSUB [channel [channel ...]]
fn pubsub_numsub(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut out = Vec::new();
    for ch in &argv[2..] {
        out.push(Reply::bulk(ch));
        out.push(Reply::Int(
            ctx.server
                .channel_subscribers
                .get(ch)
                .map_or(0, |l| l.len()) as i64,
        ));
    }
    Ok(Reply::Array(out))
}

/// PUBSUB NUMPAT
fn pubsub_numpat(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let mut distinct: Vec<&Vec<u8>> = ctx
        .server
        .pattern_subscribers
        .iter()
        .map(|(p, _)| p)
        .collect();
    crate::sorting::sort(&mut distinct);
    distinct.dedup();
    Ok(Reply::Int(distinct.len() as i64))
}

/// PUBSUB SHARDCHANNELS [pattern] — no sharded channels exist here.
fn pubsub_shardchannels(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Array(vec![]))
}

/// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
fn pubsub_shardnumsub(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .flat_map(|c| [Reply::bulk(c), Reply::Int(0)])
            .collect(),
    ))
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

/// The error for a command a subscribed client may not run.
pub fn not_while_subscribed(cmd: &str) -> CmdError {
    CmdError::Err(format!(
        "Can't execute '{cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
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
        syntax: "pattern [pattern ...]", handler: psubscribe, ..P },
    Command { name: "publish", arity: 3, flags: flags![PUBSUB, LOADING, STALE, FAST], acl: acl![PUBSUB, FAST], since: "2.0.0",
        complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
        summary: "Send a message to a channel; returns how many clients received it",
        syntax: "channel message", handler: publish, ..P },
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
                summary: "The shard channels that have subscribers (none in a playground)", syntax: "[pattern]",
                handler: pubsub_shardchannels, ..PS },
            Command { name: "pubsub|shardnumsub", arity: -2, since: "7.0.0", complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                summary: "How many clients subscribe to each given shard channel", syntax: "[shardchannel [shardchannel ...]]",
                handler: pubsub_shardnumsub, ..PS },
        ], ..P },
    Command { name: "punsubscribe", arity: -1, complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
        summary: "Stop listening on patterns (all of them if none is given)", syntax: "[pattern [pattern ...]]",
        handler: punsubscribe, ..P },
    Command { name: "subscribe", link: Link::Refused("subscribing takes the console over"), summary: "Listen for messages on channels", syntax: "channel [channel ...]",
        handler: subscribe, ..P },
    Command { name: "unsubscribe", arity: -1, complexity: "O(N) where N is the number of clients already subscribed to a channel.",
        summary: "Stop listening on channels (all of them if none is given)", syntax: "[channel [channel ...]]",
        handler: unsubscribe, ..P },
];
