//! Generated text shared by the benches: a deterministic generator and sentences in English
//! and Chinese.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (xorshift), so every run benches the same bytes.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

pub const EN: &[&str] = &[
    "the",
    "council",
    "voted",
    "to",
    "rebuild",
    "harbour",
    "pier",
    "after",
    "storm",
    "residents",
    "market",
    "weekly",
    "island",
    "ferry",
    "spring",
    "budget",
    "road",
    "repairs",
    "said",
    "new",
    "plan",
    "would",
    "cost",
    "more",
    "than",
    "expected",
    "and",
    "of",
    "in",
    "on",
    "with",
    "for",
];
pub const ZH: &[&str] = &[
    "社区", "治理", "创新", "居民", "发展", "推进", "城市", "服务", "建设", "网格", "平台", "数字",
    "群众", "问题", "持续", "提升", "文化", "改革", "协商", "经济", "的", "了", "和", "在",
];

pub fn sentence(rng: &mut Rng, zh: bool, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if zh {
            s.push_str(rng.pick(ZH));
            if i % 9 == 8 {
                s.push('，');
            }
        } else {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(rng.pick(EN));
        }
    }
    s.push_str(if zh { "。" } else { "." });
    s
}

/// Sites of a generated crawl.
pub const SITES: usize = 40;

/// One page of `site`: menu, title, heading, paragraphs, related stories, footer.
pub fn page(rng: &mut Rng, site: usize, n: usize) -> String {
    let zh = site.is_multiple_of(3);
    let words = if zh { ZH } else { EN };
    let mut p = String::new();
    let title = sentence(rng, zh, 8);
    let _ = writeln!(p, "{title} - Site {site}");
    for k in 0..12 {
        let _ = writeln!(p, "{} {site}-{k}", words[(site + k) % words.len()]);
    }
    let _ = writeln!(p, "\n{title}\nBy staff writer {n}\n");
    let paragraphs = 6 + (rng.next() % 12) as usize;
    for _ in 0..paragraphs {
        let words = 25 + (rng.next() % 50) as usize;
        let _ = writeln!(p, "{}\n", sentence(rng, zh, words));
    }
    p.push_str("Related stories\n");
    for _ in 0..6 {
        let pick = rng.next() % 50;
        let _ = writeln!(
            p,
            "Story {pick} from site {site}: {}",
            words[pick as usize % words.len()]
        );
    }
    let _ = writeln!(
        p,
        "© 2024 Site {site}. All rights reserved.\nAbout us | Contact | Privacy policy\n"
    );
    p
}

/// Writes the crawl under `root` and returns its size in bytes.
pub fn generate_crawl(root: &Path, size: usize) -> u64 {
    // Each page from its own generator, so a republished page can be made again.
    let seed = |n: usize| Rng(0x5EED ^ (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut total = 0;
    let mut n = 0;
    let mut jsonl: Vec<String> = vec![String::new(); SITES];
    while total < size {
        let site = n % SITES;
        // One page in twenty is the site's page of the round before, republished with one word
        // changed (a page of a round before is never itself a copy).
        let text = if n >= SITES && (n / SITES + site) % 20 == 19 {
            page(&mut seed(n - SITES), site, n - SITES).replacen("the", "a", 1)
        } else {
            page(&mut seed(n), site, n)
        };
        total += text.len();
        if (n / SITES) % 10 == 9 {
            let record = serde_json::json!({"id": n, "url": format!("https://site{site}.example/{n}"), "text": text});
            jsonl[site].push_str(&record.to_string());
            jsonl[site].push('\n');
        } else {
            let path = root.join(format!("site{site}/p{n}.txt"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        n += 1;
    }
    for (site, lines) in jsonl.iter().enumerate() {
        let dir = root.join(format!("site{site}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("records.jsonl"), lines).unwrap();
    }
    total as u64
}
