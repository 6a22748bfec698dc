//! Duplicate and near-duplicate documents: candidates from LSH band keys and exact content
//! hashes, verified pairs joined into clusters (union-find), and one document kept per cluster.
//!
//! The steps are plain functions over per-document sketches so they can be tested alone and run
//! between the passes of a crawl: [`candidates`] → (the caller computes shingle sets of the
//! candidate documents) → [`clusters`]. Which copy stays is decided by order keys and lengths
//! only, never by which thread finished first: the first in input order ([`Keep::First`], the
//! default) or the longest ([`Keep::Longest`], ties to the first). [`OnlineDedup`] does the same
//! for a stream that can only be read once: each document is compared with the ones before it.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::minhash::{BANDS, Signature, band_keys, estimate, jaccard, signature};
use crate::profile::DocEntry;

/// Which copy of a cluster stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    /// The first in input order.
    #[default]
    First,
    /// The longest (kept bytes after line cleaning); ties go to the first.
    Longest,
}

/// What dedup needs to know of one document between passes (about 160 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocSketch {
    /// Order key (input order).
    pub order: u64,
    /// Bytes kept after line cleaning.
    pub len: u64,
    /// Hash of the sequence of kept line keys: equal for exact duplicates.
    pub exact: u64,
    /// LSH band keys.
    pub bands: [u64; BANDS],
    /// Whether the document has any shingles at all (empty documents are never duplicates).
    pub has_text: bool,
}

impl DocSketch {
    /// The sketch of a document from its shingles (the set, or every shingle hash in any order)
    /// and its content hash.
    pub fn new(order: u64, len: u64, exact: u64, shingles: &[u64]) -> Self {
        DocSketch {
            order,
            len,
            exact,
            bands: band_keys(&signature(shingles)),
            has_text: !shingles.is_empty(),
        }
    }
}

/// The verdict on a document that goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocVerdict {
    /// Order key of the document kept in its cluster.
    pub kept: u64,
    /// Exact Jaccard similarity with that document.
    pub similarity: f64,
    /// Same normalized content as the kept document.
    pub exact: bool,
    /// Cluster number, 1-based, numbered by the kept documents' order.
    pub cluster: u64,
}

/// Candidate pairs `(i, j)`, `i < j`, of sketch indices: same content hash or a shared band key.
/// Within one bucket each member is paired with the bucket's first member and with the member
/// before it, so a bucket of n copies costs 2n pairs, not n².
pub fn candidates(sketches: &[DocSketch]) -> Vec<(usize, usize)> {
    // Every (bucket, member) as one sorted list: a bucket is a run of equal keys, its members
    // in index order. A sort splits over threads; a hash map of small vectors did not. Each
    // band's keys are offset by a constant of their own, so one 64-bit key names a bucket
    // (bands meet only if two random 64-bit keys collide, and a candidate is only a candidate:
    // every pair is verified).
    let bucket = |band: u64, key: u64| key.wrapping_add(band.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let per_doc: Vec<[(u64, u32); BANDS + 1]> = sketches
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            // A crawl holds fewer than 2³² documents (record numbers are 32-bit).
            let i = i as u32;
            let mut keys = [(bucket(0, s.exact), i); BANDS + 1];
            for ((slot, b), k) in keys[1..].iter_mut().zip(1..).zip(s.bands) {
                *slot = (bucket(b, k), i);
            }
            keys
        })
        .collect();
    let mut keys = per_doc.into_flattened();
    keys.retain(|&(_, i)| sketches[i as usize].has_text);
    keys.par_sort_unstable();
    let mut pairs = Vec::new();
    for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
        let member = |w: usize| bucket[w].1 as usize;
        for w in 1..bucket.len() {
            pairs.push((member(0), member(w)));
            if w > 1 {
                pairs.push((member(w - 1), member(w)));
            }
        }
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// Joins the groups of `i` and `j`; the smaller index roots the group, whatever the order.
fn union(parent: &mut [usize], i: usize, j: usize) {
    let (a, b) = (find(parent, i), find(parent, j));
    if a != b {
        parent[a.max(b)] = a.min(b);
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The sketch indices [`clusters`] needs shingle sets for: every member of a group of documents
/// joined by candidate pairs, unless the whole group has one content hash (exact copies need no
/// verifying). The rest never have their sets built.
pub fn needing_sets(sketches: &[DocSketch], pairs: &[(usize, usize)]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..sketches.len()).collect();
    for &(i, j) in pairs {
        union(&mut parent, i, j);
    }
    let mut mixed = vec![false; sketches.len()];
    for &(i, j) in pairs {
        if sketches[i].exact != sketches[j].exact {
            let root = find(&mut parent, i);
            mixed[root] = true;
        }
    }
    let mut out: Vec<usize> = pairs.iter().flat_map(|&(i, j)| [i, j]).collect();
    out.sort_unstable();
    out.dedup();
    out.retain(|&i| mixed[find(&mut parent, i)]);
    out
}

/// Verifies candidate pairs on their exact shingle sets (`sets[i]` for every index in a pair)
/// and returns, per removed document index, its verdict.
pub fn clusters(
    sketches: &[DocSketch],
    pairs: &[(usize, usize)],
    sets: &HashMap<usize, Vec<u64>>,
    threshold: f64,
    keep: Keep,
) -> BTreeMap<usize, DocVerdict> {
    let empty = Vec::new();
    let set = |i: usize| sets.get(&i).unwrap_or(&empty);
    let mut parent: Vec<usize> = (0..sketches.len()).collect();
    for &(i, j) in pairs {
        let same = sketches[i].exact == sketches[j].exact;
        if same || jaccard(set(i), set(j)) >= threshold {
            union(&mut parent, i, j);
        }
    }
    // Only documents of some pair can share a group.
    let mut members: Vec<usize> = pairs.iter().flat_map(|&(i, j)| [i, j]).collect();
    members.sort_unstable();
    members.dedup();
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in members {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let better = |a: usize, b: usize| -> bool {
        let (x, y) = (&sketches[a], &sketches[b]);
        match keep {
            Keep::First => x.order < y.order,
            Keep::Longest => x.len > y.len || (x.len == y.len && x.order < y.order),
        }
    };
    let mut keepers: Vec<(u64, usize, Vec<usize>)> = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|g| {
            let mut k = g[0];
            for &m in &g[1..] {
                if better(m, k) {
                    k = m;
                }
            }
            (sketches[k].order, k, g)
        })
        .collect();
    keepers.sort_unstable_by_key(|k| k.0);
    let mut verdicts = BTreeMap::new();
    for (n, (_, k, members)) in keepers.into_iter().enumerate() {
        for m in members {
            if m == k {
                continue;
            }
            let exact = sketches[m].exact == sketches[k].exact;
            let similarity = if exact { 1.0 } else { jaccard(set(m), set(k)) };
            verdicts.insert(
                m,
                DocVerdict {
                    kept: sketches[k].order,
                    similarity,
                    exact,
                    cluster: n as u64 + 1,
                },
            );
        }
    }
    verdicts
}

/// Dedup for a stream read once: each document against every earlier kept one, verified on the
/// exact Jaccard similarity of the two shingle sets, as a crawl is.
///
/// Memory per kept document stays small whatever its length: its band keys in one hash index
/// (a bucket head per key, a link per band), its content hash, order and the place of its
/// shingle set, which is written to an unnamed temporary file and read back only when a later
/// document is a candidate against it (where no temporary file can be made, sets stay in
/// memory).
#[derive(Debug, Default)]
pub struct OnlineDedup {
    /// Bucket (band and key mixed) → its newest slot + 1; a slot is `kept × BANDS + band`.
    heads: HashMap<u64, u32>,
    /// Per slot: the slot before it in its bucket + 1 (0: none).
    links: Vec<u32>,
    exact: HashMap<u64, u32>,
    kept: Vec<Kept>,
    sets: SetStore,
    clusters: HashMap<u32, u64>,
    next_cluster: u64,
}

/// A kept document: its order key and where its shingle set is stored.
#[derive(Debug, Clone, Copy)]
struct Kept {
    order: u64,
    at: u64,
    len: u32,
}

/// Shingle sets of kept documents, appended and read back by place.
#[derive(Debug, Default)]
enum SetStore {
    /// Not opened yet.
    #[default]
    Unopened,
    /// An unnamed temporary file (gone when the run ends) and its length.
    File(std::fs::File, u64),
    /// Held in memory, one after another.
    Memory(Vec<u64>),
}

impl SetStore {
    /// Stores `set`; its place.
    fn put(&mut self, set: &[u64]) -> u64 {
        use std::io::{Seek, SeekFrom, Write};
        if matches!(self, SetStore::Unopened) {
            *self = match tempfile::tempfile() {
                Ok(f) => SetStore::File(f, 0),
                Err(_) => SetStore::Memory(Vec::new()),
            };
        }
        if let SetStore::File(f, len) = self {
            let bytes: Vec<u8> = set.iter().flat_map(|v| v.to_le_bytes()).collect();
            let at = *len;
            let written = f
                .seek(SeekFrom::Start(at))
                .and_then(|_| f.write_all(&bytes));
            if written.is_ok() {
                *len += bytes.len() as u64;
                return at / 8;
            }
            // A full temporary directory: the rest is kept in memory (the file's sets stay
            // readable).
            let mut mem = Vec::new();
            if f.seek(SeekFrom::Start(0)).is_ok() {
                let mut all = Vec::new();
                if std::io::Read::read_to_end(&mut std::io::Read::take(&mut *f, *len), &mut all)
                    .is_ok()
                {
                    mem = all
                        .chunks_exact(8)
                        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
                        .collect();
                }
            }
            *self = SetStore::Memory(mem);
        }
        match self {
            SetStore::Memory(v) => {
                let at = v.len() as u64;
                v.extend_from_slice(set);
                at
            }
            _ => 0,
        }
    }

    /// The set stored at `at` (in values), `len` values long, into `out`.
    fn get(&mut self, at: u64, len: u32, out: &mut Vec<u64>) {
        use std::io::{Read, Seek, SeekFrom};
        out.clear();
        match self {
            SetStore::Memory(v) => {
                let range = at as usize..at as usize + len as usize;
                out.extend_from_slice(v.get(range).unwrap_or_default());
            }
            SetStore::File(f, _) => {
                let mut bytes = vec![0u8; len as usize * 8];
                let read = f
                    .seek(SeekFrom::Start(at * 8))
                    .and_then(|_| f.read_exact(&mut bytes));
                if read.is_ok() {
                    out.extend(
                        bytes
                            .chunks_exact(8)
                            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default())),
                    );
                }
            }
            SetStore::Unopened => {}
        }
    }
}

/// One 64-bit bucket for a band's key: each band's keys offset by a constant of their own.
fn bucket(band: usize, key: u64) -> u64 {
    key.wrapping_add((band as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

impl OnlineDedup {
    /// A verdict when the document duplicates an earlier one; otherwise it is remembered.
    pub fn check(
        &mut self,
        order: u64,
        exact: u64,
        shingles: Vec<u64>,
        threshold: f64,
    ) -> Option<DocVerdict> {
        if shingles.is_empty() {
            return None;
        }
        let sketch = DocSketch::new(order, 0, exact, &shingles);
        let mut best: Option<(u32, f64, bool)> = None;
        if let Some(&k) = self.exact.get(&exact) {
            best = Some((k, 1.0, true));
        } else {
            let mut candidates = Vec::new();
            for (b, &key) in sketch.bands.iter().enumerate() {
                let mut slot = self.heads.get(&bucket(b, key)).copied().unwrap_or(0);
                while slot > 0 {
                    candidates.push((slot - 1) / BANDS as u32);
                    slot = self.links[(slot - 1) as usize];
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut other = Vec::new();
            for k in candidates {
                let kept = self.kept[k as usize];
                self.sets.get(kept.at, kept.len, &mut other);
                let s = jaccard(&shingles, &other);
                if s >= threshold && best.is_none_or(|(bk, bs, _)| s > bs || (s == bs && k < bk)) {
                    best = Some((k, s, false));
                }
            }
        }
        if let Some((k, similarity, exact)) = best {
            let next = &mut self.next_cluster;
            let cluster = *self.clusters.entry(k).or_insert_with(|| {
                *next += 1;
                *next
            });
            return Some(DocVerdict {
                kept: self.kept[k as usize].order,
                similarity,
                exact,
                cluster,
            });
        }
        let idx = self.kept.len() as u32;
        self.exact.insert(exact, idx);
        for (b, &key) in sketch.bands.iter().enumerate() {
            let slot = idx * BANDS as u32 + b as u32 + 1;
            let head = self.heads.insert(bucket(b, key), slot).unwrap_or(0);
            self.links.push(head);
        }
        let at = self.sets.put(&shingles);
        self.kept.push(Kept {
            order,
            at,
            len: shingles.len() as u32,
        });
        None
    }
}

/// A document of an earlier crawl that a new one duplicates.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileMatch {
    /// Its name in that crawl.
    pub name: String,
    /// Same normalized content.
    pub exact: bool,
    /// Similarity: 1.0 for exact copies, else the signature estimate (the earlier crawl's shingle
    /// sets are not kept, so this check cannot be exact; its standard error is about 0.05 at 0.8).
    pub similarity: f64,
}

/// The document fingerprints of a profile, indexed by band key and content hash.
#[derive(Debug)]
pub struct ProfileDocs<'a> {
    entries: &'a [DocEntry],
    bands: HashMap<(u8, u64), Vec<u32>>,
    exact: HashMap<u64, Vec<u32>>,
    by_order: HashMap<u64, u32>,
}

impl<'a> ProfileDocs<'a> {
    /// Indexes a profile's documents (about 200 bytes each).
    pub fn new(entries: &'a [DocEntry]) -> Self {
        let mut idx = ProfileDocs {
            entries,
            bands: HashMap::new(),
            exact: HashMap::new(),
            by_order: HashMap::new(),
        };
        for (i, e) in entries.iter().enumerate() {
            let i = i as u32;
            idx.exact.entry(e.exact).or_default().push(i);
            idx.by_order.insert(e.order, i);
            for (b, &k) in band_keys(&e.sig).iter().enumerate() {
                idx.bands.entry((b as u8, k)).or_default().push(i);
            }
        }
        idx
    }

    /// Whether the document with this order key duplicates one of the profile's. A document
    /// that is itself in the profile only yields to a copy with a smaller order key, so cleaning
    /// the learned crawl with its own profile keeps exactly one copy of each cluster.
    pub fn check(
        &self,
        order: u64,
        exact: u64,
        sig: &Signature,
        threshold: f64,
    ) -> Option<ProfileMatch> {
        let itself = self.by_order.contains_key(&order);
        let eligible = |e: &DocEntry| e.order != order && (!itself || e.order < order);
        let mut best: Option<(usize, f64, bool)> = None;
        for &i in self.exact.get(&exact).into_iter().flatten() {
            let e = &self.entries[i as usize];
            if eligible(e) && best.is_none_or(|(b, _, _)| e.order < self.entries[b].order) {
                best = Some((i as usize, 1.0, true));
            }
        }
        if best.is_none() && sig.iter().any(|&v| v != u32::MAX) {
            for (b, &k) in band_keys(sig).iter().enumerate() {
                for &i in self.bands.get(&(b as u8, k)).into_iter().flatten() {
                    let e = &self.entries[i as usize];
                    if !eligible(e) {
                        continue;
                    }
                    let s = estimate(sig, &e.sig);
                    let better = best.is_none_or(|(bi, bs, _)| {
                        s > bs || (s == bs && e.order < self.entries[bi].order)
                    });
                    if s >= threshold && better {
                        best = Some((i as usize, s, false));
                    }
                }
            }
        }
        best.map(|(i, similarity, exact)| ProfileMatch {
            name: self.entries[i].name.clone(),
            exact,
            similarity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::Shingler;

    fn text(words: usize, seed: usize, edits: &[usize]) -> String {
        (0..words)
            .map(|i| {
                if edits.contains(&i) {
                    format!("edit{i}x{seed}")
                } else {
                    format!("w{}", (i * 7919 + 13) % 5003)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sketch_all(texts: &[String]) -> (Vec<DocSketch>, HashMap<usize, Vec<u64>>) {
        let mut sh = Shingler::new();
        let mut sketches = Vec::new();
        let mut sets = HashMap::new();
        for (i, t) in texts.iter().enumerate() {
            let mut s = Vec::new();
            sh.shingles(t, &mut s);
            let exact = xxhash_rust::xxh3::xxh3_64(t.as_bytes());
            sketches.push(DocSketch::new(i as u64, t.len() as u64, exact, &s));
            sets.insert(i, s);
        }
        (sketches, sets)
    }

    #[test]
    fn near_copies_cluster_and_the_first_stays() {
        let texts = vec![
            text(300, 0, &[]),
            text(300, 1, &[50]),
            format!("{} extra words at the end", text(300, 2, &[])),
            (0..300)
                .map(|i| format!("other{i}"))
                .collect::<Vec<_>>()
                .join(" "),
            text(300, 0, &[]),
        ];
        let (sk, sets) = sketch_all(&texts);
        let pairs = candidates(&sk);
        let v = clusters(&sk, &pairs, &sets, 0.8, Keep::First);
        assert_eq!(v.keys().copied().collect::<Vec<_>>(), vec![1, 2, 4]);
        assert!(v.values().all(|d| d.kept == 0 && d.cluster == 1));
        assert!(v[&4].exact && v[&4].similarity == 1.0);
        assert!(!v[&1].exact && v[&1].similarity >= 0.8 && v[&1].similarity < 1.0);
        let longest = clusters(&sk, &pairs, &sets, 0.8, Keep::Longest);
        assert!(
            longest.values().all(|d| d.kept == 2),
            "the copy with extra words is longest"
        );
        assert!(!longest.contains_key(&2));
    }

    #[test]
    fn exact_copies_alone_need_no_shingle_sets() {
        let texts = vec![
            text(300, 0, &[]),
            text(300, 0, &[]),
            text(300, 0, &[]),
            format!("y {}", text(200, 5, &[])).replace('w', "v"),
            format!("y {}", text(200, 5, &[7])).replace('w', "v"),
            (0..300)
                .map(|i| format!("other{i}"))
                .collect::<Vec<_>>()
                .join(" "),
        ];
        let (sk, sets) = sketch_all(&texts);
        let pairs = candidates(&sk);
        assert_eq!(
            needing_sets(&sk, &pairs),
            [3, 4],
            "only the near pair is verified"
        );
        let only: HashMap<usize, Vec<u64>> = needing_sets(&sk, &pairs)
            .into_iter()
            .map(|i| (i, sets[&i].clone()))
            .collect();
        assert_eq!(
            clusters(&sk, &pairs, &only, 0.8, Keep::First),
            clusters(&sk, &pairs, &sets, 0.8, Keep::First),
            "the verdicts do not need the other sets"
        );
    }

    #[test]
    fn distinct_documents_and_empty_ones_stay() {
        let texts: Vec<String> = (0..20)
            .map(|s| {
                (0..200)
                    .map(|i| format!("d{s}w{i}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .chain(["".into(), "".into()])
            .collect();
        let (sk, sets) = sketch_all(&texts);
        assert!(clusters(&sk, &candidates(&sk), &sets, 0.8, Keep::First).is_empty());
    }

    #[test]
    fn profile_documents_catch_copies_of_an_earlier_crawl() {
        let texts = [text(300, 0, &[]), text(300, 5, &[3, 100])];
        let (sk, sets) = sketch_all(&texts);
        let entries: Vec<DocEntry> = (0..2)
            .map(|i| DocEntry {
                order: 10 + i as u64,
                exact: sk[i].exact,
                sig: signature(&sets[&i]),
                name: format!("old/{i}.txt"),
            })
            .collect();
        let idx = ProfileDocs::new(&entries);
        let copy = signature(&sets[&1]);
        let m = idx.check(99, 12345, &copy, 0.8).unwrap();
        assert_eq!(
            m.name, "old/1.txt",
            "the most similar document of the earlier crawl"
        );
        assert!(!m.exact && m.similarity >= 0.8);
        assert!(
            idx.check(10, entries[0].exact, &entries[0].sig, 0.8)
                .is_none(),
            "the first copy stays"
        );
        assert_eq!(
            idx.check(11, entries[1].exact, &entries[1].sig, 0.8)
                .map(|m| m.name),
            Some("old/0.txt".into())
        );
        let other: Vec<String> = (0..300).map(|i| format!("q{i}")).collect();
        let mut set = Vec::new();
        Shingler::new().shingles(&other.join(" "), &mut set);
        assert!(idx.check(99, 1, &signature(&set), 0.8).is_none());
    }

    #[test]
    fn online_matches_the_batch_answer() {
        let texts = vec![
            text(300, 0, &[]),
            text(300, 1, &[10, 200]),
            (0..300)
                .map(|i| format!("z{i}"))
                .collect::<Vec<_>>()
                .join(" "),
            text(300, 0, &[]),
        ];
        let (sk, sets) = sketch_all(&texts);
        let batch = clusters(&sk, &candidates(&sk), &sets, 0.8, Keep::First);
        let mut online = OnlineDedup::default();
        let mut got = BTreeMap::new();
        for (i, s) in sk.iter().enumerate() {
            if let Some(v) = online.check(i as u64, s.exact, sets[&i].clone(), 0.8) {
                got.insert(i, v);
            }
        }
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            batch.keys().collect::<Vec<_>>()
        );
        assert_eq!(got[&3].kept, 0);
        assert!(got[&3].exact);
        // The near copy's similarity is the exact one, read back from the stored set.
        assert_eq!(got[&1].similarity, jaccard(&sets[&0], &sets[&1]));
    }

    #[test]
    fn stored_sets_come_back_from_the_file_and_from_memory() {
        let sets: Vec<Vec<u64>> = (0..50u64)
            .map(|i| (0..i * 7).map(|v| v * 1_000_003 + i).collect())
            .collect();
        for mut store in [SetStore::Unopened, SetStore::Memory(Vec::new())] {
            let places: Vec<u64> = sets.iter().map(|s| store.put(s)).collect();
            let mut out = Vec::new();
            for (set, &at) in sets.iter().zip(&places).rev() {
                store.get(at, set.len() as u32, &mut out);
                assert_eq!(&out, set);
            }
        }
    }
}
