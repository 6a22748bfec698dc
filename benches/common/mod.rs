//! Generated text shared by the benches: a deterministic generator and sentences in English
//! and Chinese.

#![allow(dead_code)]

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
