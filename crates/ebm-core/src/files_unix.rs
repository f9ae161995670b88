//! The Unix side of `files`: file kinds and permission bits.

use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

/// The kinds of file an output must not go to (besides directories).
pub fn refused_kind(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_block_device() {
        Some("block device")
    } else if t.is_socket() {
        Some("socket")
    } else {
        None
    }
}

/// FIFOs and character devices are written straight, not replaced.
pub fn is_stream(meta: &Metadata) -> bool {
    let t = meta.file_type();
    t.is_fifo() || t.is_char_device()
}

/// Whether the permission bits of the class this process falls in (owner,
/// group or other) allow writing. Root is held to the bits too.
pub fn may_write(meta: &Metadata) -> bool {
    // SAFETY: geteuid, getegid and getgroups only read the process's credentials.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    let mode = meta.mode();
    if meta.uid() == uid {
        mode & 0o200 != 0
    } else if meta.gid() == gid || in_groups(meta.gid()) {
        mode & 0o020 != 0
    } else {
        mode & 0o002 != 0
    }
}

fn in_groups(gid: u32) -> bool {
    let mut groups = vec![0 as libc::gid_t; 256];
    // SAFETY: the buffer holds `groups.len()` entries, as the call is told.
    let n = unsafe { libc::getgroups(groups.len() as libc::c_int, groups.as_mut_ptr()) };
    n > 0 && groups[..n as usize].contains(&gid)
}

/// Gives `tmp` the permission bits of the file it is about to replace.
pub fn keep_mode(target: &Path, tmp: &Path) {
    if let Ok(m) = std::fs::metadata(target) {
        let bits = m.permissions().mode() & 0o7777;
        let _ = std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(bits));
    }
}
