//! Safe file reading: regular files only, with a size limit checked before and after
//! reading, in one read.

use super::*;

/// Reads a regular file of at most `limit` bytes as text. Pipes, devices and folders are
/// refused (reading them could block or never end), and so are larger files.
pub fn read_regular_file(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind};
    let bytes = read_limited(path, limit).map_err(|failure| match failure {
        ReadFailure::Io(err) => err,
        ReadFailure::TooLarge => {
            Error::new(ErrorKind::InvalidData, format!("larger than {limit} bytes"))
        }
    })?;
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "not valid UTF-8"))
}

/// Why a file was not read.
pub(super) enum ReadFailure {
    Io(std::io::Error),
    /// It holds more than the limit.
    TooLarge,
}

/// The bytes of the regular file at `path`, refused when it holds more than `limit`.
pub(super) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let (file, len) = open_regular_file(path).map_err(ReadFailure::Io)?;
    if len > limit {
        return Err(ReadFailure::TooLarge);
    }
    // Read at most one byte past the limit, in case the file grows meanwhile.
    let bytes = read_open_file(file, len, limit).map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge);
    }
    Ok(bytes)
}

/// Reads an open file whose metadata gave `len` (at most `limit`) to its end, or to one byte
/// past `limit` should it have grown. One `read` when it still has that length: asked for
/// a byte more, it gives `len` bytes and so shows its end (where reading to the end
/// would take a second call that reads nothing, for each of thousands of files).
pub(super) fn read_open_file(mut file: fs::File, len: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{ErrorKind, Read};
    let mut bytes = vec![0; usize::try_from(len.min(limit)).unwrap_or(0) + 1];
    let read = match file.read(&mut bytes) {
        Ok(read) => read,
        Err(err) if err.kind() == ErrorKind::Interrupted => 0,
        Err(err) => return Err(err),
    };
    bytes.truncate(read);
    if read as u64 != len {
        // Shorter or longer than it was: read on to the end (or just past the limit).
        file.take((limit + 1).saturating_sub(read as u64))
            .read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file, with its length. Pipes, devices and
/// folders are refused: reading them could block or never end.
pub(super) fn open_regular_file(path: &Path) -> std::io::Result<(fs::File, u64)> {
    use std::io::{Error, ErrorKind};
    let not_regular = || Error::new(ErrorKind::InvalidInput, "not a regular file");
    // Open first and ask the open file what it is: one path lookup instead of two (a
    // large framework has thousands of files). Without blocking, opening a pipe returns
    // at once instead of waiting for a writer.
    #[cfg(unix)]
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)?
    };
    #[cfg(not(unix))]
    let file = {
        if !fs::metadata(path)?.is_file() {
            return Err(not_regular());
        }
        fs::File::open(path)?
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    Ok((file, meta.len()))
}

pub(super) fn read_text(path: &Path, display: &str) -> Result<String, Diagnostic> {
    let bytes = read_limited(path, MAX_FILE_BYTES).map_err(|failure| match failure {
        ReadFailure::Io(err) => {
            Diagnostic::error("E0023", format!("cannot read file: {err}")).at(Span::file(display))
        }
        ReadFailure::TooLarge => Diagnostic::error(
            "E0027",
            format!("file is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024),
        )
        .at(Span::file(display)),
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or("");
        Diagnostic::error("E0028", "file is not valid UTF-8")
            .at(Span::from_offset(display, valid, valid.len()))
            .help("save the file as UTF-8")
    })
}
