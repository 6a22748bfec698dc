//! Cross-document statistics: for every site, how many of its documents contain each line, and
//! for every long paragraph, how many documents contain it and which one comes first.
//!
//! A profile is what the first pass of a crawl learns and what `dedump learn` saves. It is built
//! only from sums and minimums, so it does not depend on the order documents arrive in: shards
//! learned by separate processes merge ([`Profile::merge`]) into exactly the profile one pass over
//! all of them gives, and the file written for it ([`Profile::write`]) is the same byte for byte.
//!
//! Memory: a short line key costs one map entry (8-byte key, 4-byte count: about 24 bytes with
//! the table's overhead), a long paragraph one entry of 8 + 4 + 8 bytes (about 32 bytes), a site
//! its name and count. Document texts are never kept.
//!
//! Which lines count: a line counts once per document when its key is not empty, weighs at least
//! [`MIN_SITE_WEIGHT`] and at most [`crate::normalize::MASKED_MAX_WEIGHT`], and is not a label
//! or a number (those are structure, judged on the page), nor running text: an article
//! republished on three pages of a site is duplicated content, whose first copy stays — never a
//! template to remove from every page. Keys are not masked: `Posted 3 May 2024` on one page and
//! `Posted 9 June 2023` on another are two lines, so a dateline that every page carries in the
//! same format, but with its own date, is no site boilerplate.
//! A paragraph is *long* when it is running text ([`crate::normalize::LineFeatures::is_body`]).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};

use nohash_hasher::BuildNoHashHasher;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::minhash::{NUM_PERM, Signature};
use crate::normalize::{KeyBuilder, KeyFeatures, MASKED_MAX_WEIGHT, NORMALIZATION_VERSION};

/// Version of the profile file layout.
pub const PROFILE_VERSION: u32 = 3;
/// Lighter lines are not counted.
pub const MIN_SITE_WEIGHT: u32 = 2;
const MAGIC: &[u8] = b"DEDUMP-PROFILE\n";

/// Where a document's site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SiteFrom {
    /// The `url` field's host, else the first directory level under the input root, else none.
    #[default]
    Auto,
    /// The `url` field's host only.
    Url,
    /// The first directory level under the input root only.
    Dir,
    /// The whole input is one site.
    None,
}

/// Settings that change what a profile holds; profiles merge only when these agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSettings {
    /// [`NORMALIZATION_VERSION`] of the keys.
    pub normalization_version: u32,
    /// How sites were told apart.
    pub site_from: SiteFrom,
}

/// What is known of one long paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongLine {
    /// Documents containing it.
    pub docs: u32,
    /// The order key of the first of them (smallest wins).
    pub first: u64,
}

impl LongLine {
    /// What two counts of the same paragraph add up to.
    fn combined(self, other: LongLine) -> LongLine {
        LongLine {
            docs: self.docs.saturating_add(other.docs),
            first: self.first.min(other.first),
        }
    }
}

/// The entries of `parts[i]`'s map (`map` picks it) whose key no earlier part holds, each summed
/// (`add`) over the later parts holding it, kept when `docs` of the sum is at least 2: every key
/// of any part is summed once, by the first part holding it.
fn repeated_in<V: Copy>(
    parts: &[Profile],
    i: usize,
    map: impl Fn(&Profile) -> &HashMap<u64, V, BuildNoHashHasher<u64>>,
    add: impl Fn(V, V) -> V,
    docs: impl Fn(&V) -> u32,
) -> Vec<(u64, V)> {
    let (earlier, later) = (&parts[..i], &parts[i + 1..]);
    map(&parts[i])
        .iter()
        .filter(|(k, _)| !earlier.iter().any(|p| map(p).contains_key(k)))
        .filter_map(|(&k, &v)| {
            let sum = later
                .iter()
                .filter_map(|p| map(p).get(&k))
                .fold(v, |a, &b| add(a, b));
            (docs(&sum) >= 2).then_some((k, sum))
        })
        .collect()
}

/// A document's fingerprint kept in a profile, so later documents can be checked against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocEntry {
    /// Its order key (a fixed hash of its path and record number).
    pub order: u64,
    /// Hash of its normalized content.
    pub exact: u64,
    /// Its MinHash signature.
    pub sig: Signature,
    /// Its path (and record number) in the crawl it was learned from.
    pub name: String,
}

/// The statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// What the keys mean.
    pub settings: ProfileSettings,
    /// Documents counted.
    pub docs: u64,
    /// Documents per site name.
    pub sites: BTreeMap<String, u64>,
    lines: HashMap<u64, u32, BuildNoHashHasher<u64>>,
    long: HashMap<u64, LongLine, BuildNoHashHasher<u64>>,
    /// Fingerprints of the documents, sorted by order key (empty unless learned with dedup).
    pub documents: Vec<DocEntry>,
}

fn settings_differ(a: &ProfileSettings, b: &ProfileSettings) -> Error {
    Error::Config(format!(
        "cannot merge profiles made with different settings ({a:?} and {b:?}); learn them again with the same --site-from and dedump version"
    ))
}

/// The hash that identifies a site in line keys.
pub fn site_key(site: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(site.as_bytes())
}

fn line_key(site: u64, key: u64) -> u64 {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&site.to_le_bytes());
    b[8..].copy_from_slice(&key.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&b)
}

/// Whether a line counts towards site statistics.
pub fn counts_for_site(f: &KeyFeatures) -> bool {
    !f.blank
        && f.key_chars > 0
        && !f.label
        && !f.is_numeric()
        && !f.is_body()
        && (MIN_SITE_WEIGHT..=MASKED_MAX_WEIGHT).contains(&f.weight)
}

/// What a document adds to a profile: its distinct site-line keys and paragraph hashes, sorted.
/// Computing them is the costly part and needs no profile, so workers can do it in parallel.
#[derive(Debug, Default)]
pub struct DocKeys {
    short: Vec<u64>,
    long: Vec<u64>,
}

/// The keys a document of `site` adds to a profile.
pub fn document_keys(site: &str, text: &[u8], scratch: &mut Scratch) -> DocKeys {
    let sk = site_key(site);
    let mut keys = DocKeys::default();
    let text = text.strip_prefix(crate::input::BOM).unwrap_or(text);
    let mut add = |f: KeyFeatures| {
        if counts_for_site(&f) {
            keys.short.push(line_key(sk, f.hash));
        }
        if f.is_body() {
            keys.long.push(f.hash);
        }
    };
    // Text checked once as a whole is cheaper than line by line (most documents are valid).
    match crate::input::utf8(text) {
        Some(text) => {
            for line in text.split('\n') {
                let content = line.strip_suffix('\r').unwrap_or(line);
                add(scratch.kb.analyze_key_str(content));
            }
        }
        None => {
            for line in text.split(|&b| b == b'\n') {
                let content = line.strip_suffix(b"\r").unwrap_or(line);
                add(scratch.kb.analyze_key(content));
            }
        }
    }
    keys.short.sort_unstable();
    keys.short.dedup();
    keys.long.sort_unstable();
    keys.long.dedup();
    keys
}

/// Reusable buffers for [`document_keys`].
#[derive(Debug, Default)]
pub struct Scratch {
    kb: KeyBuilder,
}

impl Profile {
    /// An empty profile.
    pub fn new(site_from: SiteFrom) -> Self {
        Profile {
            settings: ProfileSettings {
                normalization_version: NORMALIZATION_VERSION,
                site_from,
            },
            docs: 0,
            sites: BTreeMap::new(),
            lines: HashMap::default(),
            long: HashMap::default(),
            documents: Vec::new(),
        }
    }

    /// Adds document fingerprints, keeping them sorted by order key (one per document).
    pub fn add_documents(&mut self, entries: impl IntoIterator<Item = DocEntry>) {
        self.documents.extend(entries);
        self.documents.sort_by_key(|e| e.order);
        self.documents.dedup_by_key(|e| e.order);
    }

    /// Counts one document of `site`; `order` places it among documents for "first copy".
    pub fn add_document(&mut self, site: &str, order: u64, text: &[u8], scratch: &mut Scratch) {
        let keys = document_keys(site, text, scratch);
        self.add_keys(site, order, &keys);
    }

    /// Counts one document of `site` from its [`document_keys`].
    pub fn add_keys(&mut self, site: &str, order: u64, keys: &DocKeys) {
        for &k in &keys.short {
            let c = self.lines.entry(k).or_insert(0);
            *c = c.saturating_add(1);
        }
        for &k in &keys.long {
            let e = self.long.entry(k).or_insert(LongLine {
                docs: 0,
                first: order,
            });
            e.docs = e.docs.saturating_add(1);
            e.first = e.first.min(order);
        }
        self.docs += 1;
        *self.sites.entry(site.to_string()).or_insert(0) += 1;
    }

    /// Drops what cannot decide anything about the documents this profile was learned from:
    /// lines and paragraphs only one document holds. No site rule takes a line from fewer than
    /// two documents, and a paragraph in one document is its own first copy. The tables shrink
    /// to what repeats, and lookups get faster; a profile trimmed so must not be saved, merged
    /// or applied to other documents (a new document's paragraph may copy a one-off one).
    pub fn trim_for_own_documents(&mut self) {
        self.lines.retain(|_, docs| *docs >= 2);
        self.long.retain(|_, l| l.docs >= 2);
    }

    /// The merge of `parts` (profiles of the same settings, as one pass's workers make them)
    /// trimmed as [`Profile::trim_for_own_documents`] trims, without building the whole merge:
    /// each part's keys are looked up in the others, in parallel, and only those held by two
    /// documents or more are gathered. Each key is summed where it first occurs (in the first
    /// part holding it), so the result is the same whichever part holds which documents.
    pub fn merged_for_own_documents(parts: Vec<Profile>) -> Result<Profile, Error> {
        use rayon::prelude::*;
        let mut merged = Profile::new(SiteFrom::default());
        if let Some(p) = parts.first() {
            merged.settings = p.settings.clone();
        }
        if let Some(other) = parts.iter().find(|p| p.settings != merged.settings) {
            return Err(settings_differ(&merged.settings, &other.settings));
        }
        type Kept = (Vec<(u64, u32)>, Vec<(u64, LongLine)>);
        let kept: Vec<Kept> = (0..parts.len())
            .into_par_iter()
            .map(|i| {
                let lines =
                    repeated_in(&parts, i, |p| &p.lines, |a, b| a.saturating_add(b), |&n| n);
                let long = repeated_in(&parts, i, |p| &p.long, LongLine::combined, |l| l.docs);
                (lines, long)
            })
            .collect();
        for (lines, long) in kept {
            merged.lines.extend(lines);
            merged.long.extend(long);
        }
        for p in parts {
            merged.docs += p.docs;
            for (site, n) in p.sites {
                *merged.sites.entry(site).or_insert(0) += n;
            }
            merged.add_documents(p.documents);
        }
        Ok(merged)
    }

    /// Adds another profile's counts to this one. Refused when their settings differ.
    pub fn merge(&mut self, mut other: Profile) -> Result<(), Error> {
        if self.settings != other.settings {
            return Err(settings_differ(&self.settings, &other.settings));
        }
        // Sums and minimums do not care which side is added to which: the smaller one is.
        if self.lines.len() + self.long.len() < other.lines.len() + other.long.len() {
            std::mem::swap(self, &mut other);
        }
        self.docs += other.docs;
        for (site, n) in other.sites {
            *self.sites.entry(site).or_insert(0) += n;
        }
        for (k, n) in other.lines {
            let c = self.lines.entry(k).or_insert(0);
            *c = c.saturating_add(n);
        }
        self.add_documents(other.documents);
        for (k, l) in other.long {
            match self.long.entry(k) {
                Entry::Occupied(mut e) => {
                    let e = e.get_mut();
                    *e = e.combined(l);
                }
                Entry::Vacant(v) => {
                    v.insert(l);
                }
            }
        }
        Ok(())
    }

    /// Documents of the site with this name.
    pub fn site_docs(&self, site: &str) -> u64 {
        self.sites.get(site).copied().unwrap_or(0)
    }

    /// Documents of the site containing a line with this key hash.
    pub fn line_docs(&self, site: &str, key_hash: u64) -> u32 {
        self.line_docs_by_key(site_key(site), key_hash)
    }

    /// [`Profile::line_docs`] with the site given by its [`site_key`].
    pub fn line_docs_by_key(&self, site_key: u64, key_hash: u64) -> u32 {
        self.lines
            .get(&line_key(site_key, key_hash))
            .copied()
            .unwrap_or(0)
    }

    /// What is known of the long paragraph with this key hash.
    pub fn long_line(&self, hash: u64) -> Option<LongLine> {
        self.long.get(&hash).copied()
    }

    /// Distinct short line keys counted.
    pub fn line_entries(&self) -> usize {
        self.lines.len()
    }

    /// Writes the profile: a header line of JSON, then the sorted tables in little-endian binary,
    /// then the xxh3 checksum of everything before it (8 bytes, little-endian).
    pub fn write<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        let mut hashed = Hashed {
            inner: w,
            hash: xxhash_rust::xxh3::Xxh3::new(),
        };
        self.write_body(&mut hashed)?;
        let sum = hashed.hash.digest();
        hashed.inner.write_all(&sum.to_le_bytes())
    }

    fn write_body<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        let header = Header {
            profile_version: PROFILE_VERSION,
            settings: self.settings.clone(),
            docs: self.docs,
            sites: self.sites.clone(),
            lines: self.lines.len() as u64,
            long: self.long.len() as u64,
            documents: self.documents.len() as u64,
        };
        w.write_all(MAGIC)?;
        serde_json::to_writer(&mut *w, &header)?;
        w.write_all(b"\n")?;
        let mut lines: Vec<_> = self.lines.iter().map(|(&k, &v)| (k, v)).collect();
        lines.sort_unstable();
        for (k, v) in lines {
            w.write_all(&k.to_le_bytes())?;
            w.write_all(&v.to_le_bytes())?;
        }
        let mut long: Vec<_> = self.long.iter().map(|(&k, &v)| (k, v)).collect();
        long.sort_unstable_by_key(|e| e.0);
        for (k, v) in long {
            w.write_all(&k.to_le_bytes())?;
            w.write_all(&v.docs.to_le_bytes())?;
            w.write_all(&v.first.to_le_bytes())?;
        }
        for d in &self.documents {
            w.write_all(&d.order.to_le_bytes())?;
            w.write_all(&d.exact.to_le_bytes())?;
            for v in d.sig {
                w.write_all(&v.to_le_bytes())?;
            }
            w.write_all(&(d.name.len() as u32).to_le_bytes())?;
            w.write_all(d.name.as_bytes())?;
        }
        Ok(())
    }

    /// Reads a profile written by [`Profile::write`]; one whose checksum, version or key scheme
    /// does not match is refused.
    pub fn read<R: Read>(r: &mut R) -> Result<Profile, String> {
        let mut r = Hashed {
            inner: io::BufReader::new(r),
            hash: xxhash_rust::xxh3::Xxh3::new(),
        };
        let p = Self::read_body(&mut r)?;
        let sum = r.hash.digest();
        let mut stored = [0u8; 8];
        r.inner
            .read_exact(&mut stored)
            .map_err(|e| format!("truncated profile (no checksum): {e}"))?;
        if u64::from_le_bytes(stored) != sum {
            return Err(
                "the profile is damaged (its checksum does not match); learn it again".into(),
            );
        }
        if r.inner.read(&mut [0u8; 1]).map_err(|e| e.to_string())? != 0 {
            return Err("the profile has bytes after its end; learn it again".into());
        }
        if p.settings.normalization_version != NORMALIZATION_VERSION {
            return Err(format!(
                "the profile's line keys are of scheme {}, not {NORMALIZATION_VERSION}; learn it again with this dedump",
                p.settings.normalization_version
            ));
        }
        Ok(p)
    }

    fn read_body<R: io::BufRead>(r: &mut R) -> Result<Profile, String> {
        let mut magic = vec![0u8; MAGIC.len()];
        r.read_exact(&mut magic).map_err(|e| e.to_string())?;
        if magic != MAGIC {
            return Err("not a dedump profile (write one with `dedump learn`)".into());
        }
        let mut header_line = Vec::new();
        r.read_until(b'\n', &mut header_line)
            .map_err(|e| e.to_string())?;
        let header: Header =
            serde_json::from_slice(&header_line).map_err(|e| format!("bad header: {e}"))?;
        if header.profile_version != PROFILE_VERSION {
            return Err(format!(
                "profile version {} is not {PROFILE_VERSION}; learn it again with this dedump",
                header.profile_version
            ));
        }
        let mut p = Profile::new(header.settings.site_from);
        p.settings = header.settings;
        p.docs = header.docs;
        p.sites = header.sites;
        let mut b12 = [0u8; 12];
        for _ in 0..header.lines {
            r.read_exact(&mut b12)
                .map_err(|e| format!("truncated profile: {e}"))?;
            let k = u64::from_le_bytes(b12[..8].try_into().unwrap_or_default());
            let v = u32::from_le_bytes(b12[8..].try_into().unwrap_or_default());
            p.lines.insert(k, v);
        }
        let mut b20 = [0u8; 20];
        for _ in 0..header.long {
            r.read_exact(&mut b20)
                .map_err(|e| format!("truncated profile: {e}"))?;
            let k = u64::from_le_bytes(b20[..8].try_into().unwrap_or_default());
            let docs = u32::from_le_bytes(b20[8..12].try_into().unwrap_or_default());
            let first = u64::from_le_bytes(b20[12..].try_into().unwrap_or_default());
            p.long.insert(k, LongLine { docs, first });
        }
        let truncated = |e: io::Error| format!("truncated profile: {e}");
        for _ in 0..header.documents {
            let mut b8 = [0u8; 8];
            r.read_exact(&mut b8).map_err(truncated)?;
            let order = u64::from_le_bytes(b8);
            r.read_exact(&mut b8).map_err(truncated)?;
            let exact = u64::from_le_bytes(b8);
            let mut sig = [0u32; NUM_PERM];
            let mut b4 = [0u8; 4];
            for v in &mut sig {
                r.read_exact(&mut b4).map_err(truncated)?;
                *v = u32::from_le_bytes(b4);
            }
            r.read_exact(&mut b4).map_err(truncated)?;
            let len = u32::from_le_bytes(b4) as usize;
            if len > MAX_NAME_BYTES {
                return Err(format!("bad profile: a document name of {len} bytes"));
            }
            let mut name = vec![0u8; len];
            r.read_exact(&mut name).map_err(truncated)?;
            p.documents.push(DocEntry {
                order,
                exact,
                sig,
                name: String::from_utf8_lossy(&name).into_owned(),
            });
        }
        Ok(p)
    }
}

/// The longest document name a profile may hold (a path and a record number).
const MAX_NAME_BYTES: usize = 1 << 16;

/// A reader or writer that hashes the bytes passing through it.
struct Hashed<T> {
    inner: T,
    hash: xxhash_rust::xxh3::Xxh3,
}

impl<W: Write + ?Sized> Write for Hashed<&mut W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: io::BufRead> Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: io::BufRead> io::BufRead for Hashed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // The bytes consumed are those at the front of the buffer, still there.
        if let Ok(buf) = self.inner.fill_buf() {
            self.hash.update(&buf[..amt.min(buf.len())]);
        }
        self.inner.consume(amt);
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    profile_version: u32,
    settings: ProfileSettings,
    docs: u64,
    sites: BTreeMap<String, u64>,
    lines: u64,
    long: u64,
    #[serde(default)]
    documents: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_invalid_utf8_leaves_the_other_lines_counted_as_before() {
        let mut scratch = Scratch::default();
        let text = "Home | News | Sport\r\nThe council approved the spring budget on Monday after a \
                    short debate about the roads.\nCopyright 2024 Harbour Gazette\n";
        let valid = document_keys("s", text.as_bytes(), &mut scratch);
        let mut broken = text.as_bytes().to_vec();
        broken.extend_from_slice(b"caf\xe9 au lait\n");
        let with_bad_line = document_keys("s", &broken, &mut scratch);
        assert_eq!(valid.long, with_bad_line.long);
        assert_eq!(valid.short.len(), 2);
        assert!(valid.short.iter().all(|k| with_bad_line.short.contains(k)));
        assert_eq!(
            with_bad_line.short.len(),
            3,
            "the bad line counts as its lossy text"
        );
    }

    fn docs() -> Vec<(&'static str, u64, String)> {
        let footer = "Copyright 2024 Harbour Gazette\nHome | News | Sport\n";
        let para = "The council approved the spring budget on Monday after a short debate about the roads.";
        (0..12u64)
            .map(|i| {
                let site = if i % 3 == 0 { "b.example" } else { "a.example" };
                let text = format!("Story number {i} headline\n{para}\nA line only page {i} has, about topic {i}.\n{footer}");
                (site, i, text)
            })
            .collect()
    }

    fn learn(docs: &[(&str, u64, String)]) -> Profile {
        let mut p = Profile::new(SiteFrom::Auto);
        let mut s = Scratch::default();
        for (site, order, text) in docs {
            p.add_document(site, *order, text.as_bytes(), &mut s);
        }
        p
    }

    fn bytes(p: &Profile) -> Vec<u8> {
        let mut v = Vec::new();
        p.write(&mut v).unwrap();
        v
    }

    #[test]
    fn counts_documents_per_site_by_exact_key() {
        let p = learn(&docs());
        assert_eq!(p.site_docs("a.example"), 8);
        assert_eq!(p.site_docs("b.example"), 4);
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(b"Copyright 2024 Harbour Gazette");
        assert_eq!(p.line_docs("a.example", f.hash), 8);
        let f = kb.analyze(b"Story number 3 headline");
        assert_eq!(
            p.line_docs("b.example", f.hash),
            1,
            "digits are not masked: each page's own number is its own line"
        );
        let f = kb.analyze(b"The council approved the spring budget on Monday after a short debate about the roads.");
        assert_eq!(p.long_line(f.hash), Some(LongLine { docs: 12, first: 0 }));
    }

    #[test]
    fn trimming_for_own_documents_keeps_only_what_repeats() {
        let once_line = "Only here: the harbour ferry timetable";
        let once_para =
            "A paragraph no other page carries, about the island ferry and its new timetable.";
        let mut all = docs();
        all.push(("a.example", 12, format!("{once_line}\n{once_para}\n")));
        let mut p = learn(&all);
        let mut kb = KeyBuilder::new();
        let once_line = kb.analyze(once_line.as_bytes()).hash;
        let once_para = kb.analyze(once_para.as_bytes()).hash;
        let footer = kb.analyze(b"Home | News | Sport").hash;
        let para = kb.analyze(b"The council approved the spring budget on Monday after a short debate about the roads.").hash;
        assert_eq!(p.line_docs("a.example", once_line), 1);
        assert_eq!(
            p.long_line(once_para),
            Some(LongLine { docs: 1, first: 12 })
        );
        p.trim_for_own_documents();
        assert_eq!(p.line_docs("a.example", once_line), 0);
        assert_eq!(p.long_line(once_para), None);
        assert_eq!(p.line_docs("a.example", footer), 8);
        assert_eq!(p.long_line(para), Some(LongLine { docs: 12, first: 0 }));
    }

    #[test]
    fn shards_merge_into_the_single_pass_byte_for_byte() {
        let all = docs();
        let whole = bytes(&learn(&all));
        for split in [1, 5, 11] {
            let (a, b) = all.split_at(split);
            let mut left = learn(b);
            left.merge(learn(a)).unwrap();
            assert_eq!(bytes(&left), whole, "split at {split}, merged in reverse");
        }
        let mut rev = all.clone();
        rev.reverse();
        assert_eq!(bytes(&learn(&rev)), whole, "arrival order does not matter");
    }

    #[test]
    fn parts_merged_for_own_documents_are_the_trimmed_whole() {
        let once = "Only here: the harbour ferry timetable";
        let mut all = docs();
        all.push(("a.example", 12, format!("{once}\n")));
        let mut whole = learn(&all);
        whole.trim_for_own_documents();
        let whole = bytes(&whole);
        // Documents dealt to three parts in several ways, a key in one, two or all of them.
        for stride in [1, 2, 3, 5] {
            let mut parts = [Vec::new(), Vec::new(), Vec::new()];
            for (n, d) in all.iter().enumerate() {
                parts[(n / stride) % 3].push(d.clone());
            }
            let parts: Vec<Profile> = parts.iter().map(|d| learn(d)).collect();
            let merged = Profile::merged_for_own_documents(parts).unwrap();
            assert_eq!(bytes(&merged), whole, "dealt {stride} at a time");
        }
        let mut kb = KeyBuilder::new();
        let once = kb.analyze(once.as_bytes()).hash;
        let merged = Profile::merged_for_own_documents(vec![learn(&all)]).unwrap();
        assert_eq!(merged.line_docs("a.example", once), 0);
        let mixed = vec![Profile::new(SiteFrom::Dir), Profile::new(SiteFrom::Url)];
        assert!(Profile::merged_for_own_documents(mixed).is_err());
    }

    #[test]
    fn round_trips_through_its_file() {
        let p = learn(&docs());
        let back = Profile::read(&mut &bytes(&p)[..]).unwrap();
        assert_eq!(back, p);
        assert!(Profile::read(&mut &b"not a profile"[..]).is_err());
        let mut cut = bytes(&p);
        cut.truncate(cut.len() - 3);
        assert!(
            Profile::read(&mut &cut[..])
                .unwrap_err()
                .contains("truncated")
        );
    }

    #[test]
    fn a_damaged_or_foreign_profile_is_refused() {
        let p = learn(&docs());
        let good = bytes(&p);
        // Any one byte flipped, in the header or in the tables.
        for at in [
            MAGIC.len() + 5,
            good.len() / 2,
            good.len() - 9,
            good.len() - 1,
        ] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            assert!(Profile::read(&mut &bad[..]).is_err(), "byte {at} flipped");
        }
        let mut longer = good.clone();
        longer.push(b'\n');
        assert!(
            Profile::read(&mut &longer[..])
                .unwrap_err()
                .contains("after its end")
        );
        let mut other = p.clone();
        other.settings.normalization_version += 1;
        let e = Profile::read(&mut &bytes(&other)[..]).unwrap_err();
        assert!(e.contains("scheme"), "{e}");
    }

    #[test]
    fn different_settings_do_not_merge() {
        let mut a = Profile::new(SiteFrom::Dir);
        let b = Profile::new(SiteFrom::Url);
        assert!(
            a.merge(b)
                .unwrap_err()
                .to_string()
                .contains("different settings")
        );
    }
}
