//! Times the output link scan alone over a built site, single-threaded:
//! `cargo run --release --example scan_links -- /dev/shm/w10k/fw-out`.

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: scan_links SITE_FOLDER");
        std::process::exit(2);
    };
    let root = std::path::Path::new(&root);
    let mut pages = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .expect("a readable folder")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let html = std::fs::read_to_string(&path).expect("a readable page");
                pages.push((rel.to_string_lossy().replace('\\', "/"), html));
            }
        }
    }
    let files: framewright::linkcheck::Paths = pages.iter().map(|(rel, _)| rel.clone()).collect();
    let site = framewright::linkcheck::SiteFiles::new(files);
    let bytes: usize = pages.iter().map(|(_, html)| html.len()).sum();
    if std::env::var_os("SCAN_LINKS_TOP").is_some() {
        let mut counts: Vec<(usize, &str)> = pages
            .iter()
            .map(|(rel, html)| {
                let kept = framewright::linkcheck::scan_unsettled(&[html], rel, &site, "/");
                (kept.links.len(), rel.as_str())
            })
            .collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        for (kept, rel) in counts.iter().take(10) {
            println!("{kept:8} {rel}");
        }
    }
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let kept: usize = pages
            .iter()
            .map(|(rel, html)| {
                framewright::linkcheck::scan_unsettled(&[html], rel, &site, "/")
                    .links
                    .len()
            })
            .sum();
        println!(
            "{} pages, {} MB: {kept} links kept for the final check, {:.1} ms",
            pages.len(),
            bytes / 1_000_000,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
