//! The shared JSON writer of every OSCAL export: pretty-printed (two spaces) like
//! `serde_json::to_vec_pretty`, but able to write a document one member or item at a
//! time, so a large catalog is never one value tree in memory.

use serde::Serialize;

/// Writes the members of a pretty-printed JSON object, each value serialised on its own,
/// at a given indentation.
pub(crate) struct JsonObjectWriter<'o> {
    pub(crate) out: &'o mut Vec<u8>,
    indent: usize,
    empty: bool,
}

impl<'o> JsonObjectWriter<'o> {
    pub(crate) fn new(out: &'o mut Vec<u8>, indent: usize) -> JsonObjectWriter<'o> {
        JsonObjectWriter {
            out,
            indent,
            empty: true,
        }
    }

    pub(crate) fn key(&mut self, key: &str) {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        self.out.resize(self.out.len() + self.indent, b' ');
        // Serialising a string into memory cannot fail.
        let _ = serde_json::to_writer(&mut *self.out, key);
        self.out.extend_from_slice(b": ");
    }

    pub(crate) fn member(&mut self, key: &str, value: &impl Serialize) {
        self.key(key);
        write_indented(self.out, value, self.indent);
    }

    /// An array member, unless the array is empty (OSCAL arrays hold at least one entry).
    pub(crate) fn array(&mut self, key: &str, array: JsonArrayWriter) {
        if array.items == 0 {
            return;
        }
        self.key(key);
        self.out.push(b'[');
        self.out.extend_from_slice(&array.bytes);
        self.close_array();
    }

    /// Ends an array member whose items were written straight after its key.
    pub(crate) fn close_array(&mut self) {
        self.out.push(b'\n');
        self.out.resize(self.out.len() + self.indent, b' ');
        self.out.push(b']');
    }

    pub(crate) fn finish(self, outer_indent: usize) {
        if self.empty {
            self.out.extend_from_slice(b"}");
        } else {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + outer_indent, b' ');
            self.out.push(b'}');
        }
    }
}

/// The items of a pretty-printed JSON array, serialised one at a time.
#[derive(Default)]
pub(crate) struct JsonArrayWriter {
    bytes: Vec<u8>,
    items: usize,
}

impl JsonArrayWriter {
    pub(crate) fn push(&mut self, value: &impl Serialize, indent: usize) {
        push_item(&mut self.bytes, self.items == 0, value, indent);
        self.items += 1;
    }
}

/// Appends one item of a pretty-printed array whose items stand `indent` spaces deep.
pub(crate) fn push_item(out: &mut Vec<u8>, first: bool, value: &impl Serialize, indent: usize) {
    out.extend_from_slice(if first { b"\n" } else { b",\n" });
    out.resize(out.len() + indent, b' ');
    write_indented(out, value, indent);
}

/// Appends `value` pretty-printed (two spaces) as if it stood `indent` spaces deep.
pub(crate) fn write_indented(out: &mut Vec<u8>, value: &impl Serialize, indent: usize) {
    let formatter = NestedPretty {
        level: indent / 2,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    // Serialising JSON values into memory cannot fail.
    let _ = value.serialize(&mut serializer);
}

/// serde_json's pretty format (two spaces per level), starting `level` levels deep: the
/// same bytes as pretty-printing the value where it stands in the whole document.
struct NestedPretty {
    level: usize,
    has_value: bool,
}

impl NestedPretty {
    fn indent<W: ?Sized + std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&self, out: &mut W, first: bool) -> std::io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
    ) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A whole document pretty-printed, with a final line break (the mapping collection and
/// other exports small enough to be one value).
pub fn document(value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::new();
    write_indented(&mut out, value, 0);
    out.push(b'\n');
    out
}
