//! Pub/sub state: which client listens on which channels and patterns, in subscription
//! order, and delivering a message to them.

use std::collections::HashMap;

use super::{ClientId, Server};
use crate::glob::Pattern;
use crate::reply::Reply;

/// Channels, patterns or shard channels (SSUBSCRIBE): the kinds of subscription, which
/// behave alike. Shard channels are a namespace of their own: SPUBLISH reaches only them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Channel,
    Pattern,
    Shard,
}

#[derive(Debug, Default)]
struct OfClient {
    channels: Vec<Vec<u8>>,
    patterns: Vec<Vec<u8>>,
    shards: Vec<Vec<u8>>,
}

impl OfClient {
    fn list(&mut self, kind: Kind) -> &mut Vec<Vec<u8>> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shards,
        }
    }

    fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.patterns.is_empty() && self.shards.is_empty()
    }
}

/// Every subscription of every client.
#[derive(Debug, Default)]
pub struct Subscriptions {
    /// Channel → subscribed clients, in subscription order.
    channels: HashMap<Vec<u8>, Vec<ClientId>>,
    /// (pattern, client), in subscription order.
    patterns: Vec<(Vec<u8>, ClientId)>,
    /// Shard channel → subscribed clients, in subscription order.
    shards: HashMap<Vec<u8>, Vec<ClientId>>,
    of_client: HashMap<ClientId, OfClient>,
}

impl Subscriptions {
    /// Subscribe `client` to a channel or pattern; false if it already was.
    pub fn add(&mut self, client: ClientId, kind: Kind, name: &[u8]) -> bool {
        let mine = self.of_client.entry(client).or_default().list(kind);
        if mine.iter().any(|n| n == name) {
            return false;
        }
        mine.push(name.to_vec());
        match kind {
            Kind::Channel => self.channels.entry(name.to_vec()).or_default().push(client),
            Kind::Shard => self.shards.entry(name.to_vec()).or_default().push(client),
            Kind::Pattern => self.patterns.push((name.to_vec(), client)),
        }
        true
    }

    /// Unsubscribe `client` from a channel or pattern; false if it wasn't subscribed.
    pub fn remove(&mut self, client: ClientId, kind: Kind, name: &[u8]) -> bool {
        let Some(mine) = self.of_client.get_mut(&client) else {
            return false;
        };
        let list = mine.list(kind);
        let Some(pos) = list.iter().position(|n| n == name) else {
            return false;
        };
        list.remove(pos);
        if mine.is_empty() {
            self.of_client.remove(&client);
        }
        match kind {
            Kind::Channel | Kind::Shard => {
                let map = if kind == Kind::Channel {
                    &mut self.channels
                } else {
                    &mut self.shards
                };
                if let Some(list) = map.get_mut(name) {
                    list.retain(|&id| id != client);
                    if list.is_empty() {
                        map.remove(name);
                    }
                }
            }
            Kind::Pattern => self
                .patterns
                .retain(|(p, id)| !(p == name && *id == client)),
        }
        true
    }

    /// Drop every subscription of a client (a closed connection, RESET).
    pub fn remove_client(&mut self, client: ClientId) {
        let Some(mine) = self.of_client.remove(&client) else {
            return;
        };
        for (names, map) in [
            (mine.channels, &mut self.channels),
            (mine.shards, &mut self.shards),
        ] {
            for ch in names {
                if let Some(list) = map.get_mut(&ch) {
                    list.retain(|&id| id != client);
                    if list.is_empty() {
                        map.remove(&ch);
                    }
                }
            }
        }
        self.patterns.retain(|(_, id)| *id != client);
    }

    /// The client's channels or patterns, in subscription order.
    pub fn of(&self, client: ClientId, kind: Kind) -> &[Vec<u8>] {
        self.of_client.get(&client).map_or(&[], |m| match kind {
            Kind::Channel => &m.channels,
            Kind::Pattern => &m.patterns,
            Kind::Shard => &m.shards,
        })
    }

    /// How many subscriptions of this kind's namespace the client has: channels and
    /// patterns together, or shard channels.
    pub fn count_of(&self, client: ClientId, kind: Kind) -> usize {
        match kind {
            Kind::Shard => self.of(client, Kind::Shard).len(),
            _ => self.count(client),
        }
    }

    /// How many channels and patterns the client listens on.
    pub fn count(&self, client: ClientId) -> usize {
        self.of(client, Kind::Channel).len() + self.of(client, Kind::Pattern).len()
    }

    pub fn is_subscribed(&self, client: ClientId) -> bool {
        self.of_client.contains_key(&client)
    }

    /// Channel → subscribers, for channels or shard channels (patterns have none).
    fn by_channel(&self, shard: bool) -> &HashMap<Vec<u8>, Vec<ClientId>> {
        if shard {
            &self.shards
        } else {
            &self.channels
        }
    }

    /// The channels (or shard channels) with at least one subscriber.
    pub fn active_channels(&self, shard: bool) -> impl Iterator<Item = &[u8]> {
        self.by_channel(shard).keys().map(Vec::as_slice)
    }

    /// How many clients subscribe to a channel (or shard channel).
    pub fn subscribers(&self, shard: bool, channel: &[u8]) -> usize {
        self.by_channel(shard).get(channel).map_or(0, Vec::len)
    }

    /// How many distinct patterns have subscribers.
    pub fn distinct_patterns(&self) -> usize {
        let mut seen: Vec<&[u8]> = self.patterns.iter().map(|(p, _)| p.as_slice()).collect();
        crate::sorting::sort(&mut seen);
        seen.dedup();
        seen.len()
    }

    /// Who receives a message on `channel`, in delivery order: its subscribers, then the
    /// clients whose patterns match (with the pattern).
    fn receivers(&self, channel: &[u8]) -> Vec<(ClientId, Option<Vec<u8>>)> {
        let mut out: Vec<(ClientId, Option<Vec<u8>>)> = self
            .channels
            .get(channel)
            .map(|l| l.iter().map(|&id| (id, None)).collect())
            .unwrap_or_default();
        out.extend(
            self.patterns
                .iter()
                .filter(|(p, _)| Pattern::new(p).matches(channel))
                .map(|(p, id)| (*id, Some(p.clone()))),
        );
        out
    }
}

impl Server {
    /// Deliver `message` on `channel` to its subscribers and to matching patterns, in
    /// subscription order; returns how many clients received it.
    pub fn publish(&mut self, channel: &[u8], message: &[u8]) -> i64 {
        let receivers = self.subs.receivers(channel);
        let count = receivers.len() as i64;
        for (id, pattern) in receivers {
            self.clients.push(
                id,
                match pattern {
                    None => Reply::Push(vec![
                        Reply::bulk("message"),
                        Reply::bulk(channel),
                        Reply::bulk(message),
                    ]),
                    Some(p) => Reply::Push(vec![
                        Reply::bulk("pmessage"),
                        Reply::Bulk(p),
                        Reply::bulk(channel),
                        Reply::bulk(message),
                    ]),
                },
            );
        }
        count
    }

    /// SPUBLISH: deliver `message` to the shard channel's subscribers (patterns don't
    /// see shard channels); returns how many received it.
    pub fn spublish(&mut self, channel: &[u8], message: &[u8]) -> i64 {
        let receivers = self.subs.shards.get(channel).cloned().unwrap_or_default();
        for &id in &receivers {
            self.clients.push(
                id,
                Reply::Push(vec![
                    Reply::bulk("smessage"),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]),
            );
        }
        receivers.len() as i64
    }

    /// The pub/sub state.
    pub fn subscriptions(&self) -> &Subscriptions {
        &self.subs
    }

    /// Subscribe a client to a channel or pattern; false if it already was.
    pub fn subscribe(&mut self, client: ClientId, kind: Kind, name: &[u8]) -> bool {
        self.subs.add(client, kind, name)
    }

    /// Unsubscribe a client; false if it wasn't subscribed.
    pub fn unsubscribe(&mut self, client: ClientId, kind: Kind, name: &[u8]) -> bool {
        self.subs.remove(client, kind, name)
    }
}
