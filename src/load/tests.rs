use super::*;

#[test]
fn open_files_are_read_whole_whatever_length_they_were_said_to_have() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.md");
    fs::write(&path, "0123456789").unwrap();
    let read =
        |len: u64, limit: u64| read_open_file(fs::File::open(&path).unwrap(), len, limit).unwrap();
    // As stated; grown since (stated shorter); shrunk since (stated longer).
    for len in [10, 4, 0, 15] {
        assert_eq!(read(len, 100), b"0123456789", "stated {len}");
    }
    // Longer than the limit: one byte past it, for the caller to refuse.
    assert_eq!(read(4, 6), b"0123456");
    assert_eq!(read_regular_file(&path, 100).unwrap(), "0123456789");
    assert!(read_regular_file(&path, 9).is_err());
    assert!(read_regular_file(dir.path(), 100).is_err(), "a folder");
}
