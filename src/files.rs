//! The files a site is made of, as values several stages pass along: files copied as
//! they are (theme assets, files beside the content) and rendered files.

use std::path::PathBuf;

use bytes::Bytes;

/// A file copied as is into the output.
#[derive(Clone, Debug)]
pub struct StaticFile {
    /// Path in the output: `assets/style.css`.
    pub path: String,
    pub bytes: StaticBytes,
}

#[derive(Clone, Debug)]
pub enum StaticBytes {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl StaticBytes {
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            StaticBytes::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            StaticBytes::Disk(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}

/// A rendered file, path relative to the output folder.
#[derive(Debug)]
pub struct OutputFile {
    pub path: String,
    /// Reference-counted: `serve` keeps a file across rebuilds and serves it without
    /// copying it.
    pub bytes: Bytes,
}
