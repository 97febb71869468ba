//! The backup file: a tar archive holding the database snapshot (`database.sqlite` or
//! `database.pgdump`) and then the files kept on disk (`files/…`, the data directory's
//! `files`, when there is one). Files kept in the database are in the snapshot already.
//!
//! Written and read as a stream (one file at a time), so a backup of many photos needs no
//! more memory than a small buffer. Only what Tabane writes is read back: the snapshot and
//! regular files under `files/` (never a link, never a path that leaves the directory).

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Component, Path, PathBuf};

/// The archive's name for an SQLite snapshot (`VACUUM INTO`).
pub const SQLITE_ENTRY: &str = "database.sqlite";
/// The archive's name for a PostgreSQL snapshot (`pg_dump --format=custom`).
pub const PGDUMP_ENTRY: &str = "database.pgdump";
/// The folder of the files kept on disk, in the archive and in the data directory.
pub const FILES_DIR: &str = "files";

/// Whether the first 512 bytes of a file are a tar header (POSIX or GNU: `ustar` at 257).
pub fn is_archive(head: &[u8]) -> bool {
    head.len() >= 262 && &head[257..262] == b"ustar"
}

/// Writes the archive `out`: the snapshot `db` as `db_entry`, then every regular file under
/// `files_dir` (if it exists) as `files/<its path below files_dir>`. Answers how many files.
/// `out` is synced before this returns.
pub fn write(out: &Path, db: &Path, db_entry: &str, files_dir: &Path) -> Result<usize> {
    let file = File::create(out).with_context(|| format!("writing {}", out.display()))?;
    let mut tar = tar::Builder::new(BufWriter::new(file));
    tar.follow_symlinks(false);
    tar.append_path_with_name(db, db_entry).with_context(|| format!("adding {} to the backup", db.display()))?;
    let mut count = 0;
    if files_dir.is_dir() {
        append_files(&mut tar, files_dir, Path::new(FILES_DIR), &mut count)?;
    }
    let file = tar.into_inner()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(count)
}

fn append_files<W: std::io::Write>(
    tar: &mut tar::Builder<W>,
    dir: &Path,
    name: &Path,
    count: &mut usize,
) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let (path, kind) = (e.path(), e.file_type()?);
        if kind.is_dir() {
            append_files(tar, &path, &name.join(e.file_name()), count)?;
        } else if kind.is_file() {
            tar.append_path_with_name(&path, name.join(e.file_name()))
                .with_context(|| format!("adding {} to the backup", path.display()))?;
            *count += 1;
        }
    }
    Ok(())
}

/// What an archive held, unpacked.
pub struct Unpacked {
    /// The snapshot, and whether it is SQLite's (else pg_dump's).
    pub db: PathBuf,
    pub sqlite: bool,
    /// The files kept on disk (`<dir>/files`), when the archive has any, and how many.
    pub files: Option<(PathBuf, usize)>,
}

/// Unpacks the archive `file` into the directory `dir` (which must exist and be empty).
pub fn unpack(file: &Path, dir: &Path) -> Result<Unpacked> {
    let reader = BufReader::new(File::open(file).with_context(|| format!("reading {}", file.display()))?);
    let mut archive = tar::Archive::new(reader);
    let (mut db, mut sqlite, mut count) = (None, false, 0);
    let unreadable = |e: std::io::Error| {
        anyhow::anyhow!("{0} を読めません（壊れたバックアップ）/ cannot read the backup {0}: {e}", file.display())
    };
    for entry in archive.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().map_err(unreadable)?.into_owned();
        let name = path.to_str().unwrap_or("");
        if name == SQLITE_ENTRY || name == PGDUMP_ENTRY {
            let to = dir.join(name);
            entry.unpack(&to).map_err(unreadable)?;
            (db, sqlite) = (Some(to), name == SQLITE_ENTRY);
        } else if path.starts_with(FILES_DIR) && path.components().all(|c| matches!(c, Component::Normal(_))) {
            if !entry.unpack_in(dir).map_err(unreadable)? {
                bail!("{}: {} leaves the backup's folder", file.display(), path.display());
            }
            count += 1;
        }
    }
    let Some(db) = db else {
        bail!(
            "{0} は Tabane のバックアップではありません（データベースが入っていません）。\n\
             {0} is not a Tabane backup (it holds no database).",
            file.display()
        );
    };
    let files = (count > 0).then(|| (dir.join(FILES_DIR), count));
    Ok(Unpacked { db, sqlite, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_and_its_files_come_back_as_they_went_in() {
        let dir = std::env::temp_dir().join(format!("tabane-archive-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = dir.join("data/files");
        std::fs::create_dir_all(files.join("ab")).unwrap();
        std::fs::write(files.join("ab/abcdef"), b"photo bytes").unwrap();
        std::fs::write(dir.join("snap"), b"SQLite format 3\0...").unwrap();
        let out = dir.join("backup.tar");
        assert_eq!(write(&out, &dir.join("snap"), SQLITE_ENTRY, &files).unwrap(), 1);
        let head = std::fs::read(&out).unwrap();
        assert!(is_archive(&head[..512]));

        let into = dir.join("unpacked");
        std::fs::create_dir_all(&into).unwrap();
        let u = unpack(&out, &into).unwrap();
        assert!(u.sqlite);
        assert_eq!(std::fs::read(&u.db).unwrap(), b"SQLite format 3\0...");
        let (restored, n) = u.files.unwrap();
        assert_eq!(n, 1);
        assert_eq!(std::fs::read(restored.join("ab/abcdef")).unwrap(), b"photo bytes");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
