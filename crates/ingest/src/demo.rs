//! The built-in demo corpus: five scraped pages about the Putin / al-Sharaa Kremlin meetings,
//! embedded in the binary so `crosscheck analyze` runs with no arguments on a fresh machine.

/// `(name, bytes)` of each demo page, in order.
pub fn demo_files() -> [(&'static str, &'static [u8]); 5] {
    [
        (
            "demo/000_69bfbb74bf4096e4.txt",
            include_bytes!("../../../corpus/demo/000_69bfbb74bf4096e4.txt"),
        ),
        (
            "demo/001_f6118e8e7e3e4ef2.txt",
            include_bytes!("../../../corpus/demo/001_f6118e8e7e3e4ef2.txt"),
        ),
        (
            "demo/002_06cf7b6a2a29ffa4.txt",
            include_bytes!("../../../corpus/demo/002_06cf7b6a2a29ffa4.txt"),
        ),
        (
            "demo/003_5447253b6a49ae98.txt",
            include_bytes!("../../../corpus/demo/003_5447253b6a49ae98.txt"),
        ),
        (
            "demo/004_01406f6b690efbbb.txt",
            include_bytes!("../../../corpus/demo/004_01406f6b690efbbb.txt"),
        ),
    ]
}
