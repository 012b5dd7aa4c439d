//! A file's bytes mapped into memory, for the files equipe keeps beside the output and
//! reads whole at the start of a build (the build cache, the bodies' records).

/// A file's bytes after its `header`, mapped into memory where the system can (the build cache, and
/// the bodies' records of `edit_records`, which a build only ever appends to).
pub(crate) fn contents(file: &mut std::fs::File, header: usize) -> Option<bytes::Bytes> {
    #[cfg(unix)]
    {
        // SAFETY: a mapped file must not change while it is mapped. equipe never writes a
        // cache file in place: a build writes its cache beside it and renames it over (a
        // new file; this one stays as it is for as long as it is mapped), and no other
        // build of the same output runs meanwhile (`OutputFolder` holds its lock). A
        // build of pages' text alone appends to the records it mapped, past its end.
        if let Ok(map) = unsafe { memmap2::MmapOptions::new().populate().map(&*file) } {
            let all = bytes::Bytes::from_owner(map);
            return (all.len() >= header).then(|| all.slice(header..));
        }
    }
    // Where it cannot be mapped (a file system that does not map files), it is read; the
    // header was.
    use std::io::Read;
    let mut rest = Vec::new();
    file.read_to_end(&mut rest).ok()?;
    Some(rest.into())
}
