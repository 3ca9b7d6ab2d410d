//! `cargo-pollguard`: see the library's documentation and `cargo pollguard --help`.

/// The scan builds and drops syntax trees by the million; see the note on
/// this dependency in `Cargo.toml`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, which it reads at its start.
///
/// Its memory in transparent huge pages where the system leaves that to the
/// program (`madvise`, the common default): a scan keeps a package's syntax
/// trees until its crate model exists, hundreds of MiB touched once, and one
/// page fault per 2 MiB rather than per 4 KiB made a run on tokio 20%
/// faster. And freed memory kept for reuse rather than handed back to the
/// system after ten seconds: handing back huge pages splits them, which
/// made a run that holds a 100 MB package's trees half again slower than
/// without huge pages. A run's memory peaks once; keeping it costs a
/// short-lived program nothing. Measured in BENCHMARKS.md; the floor, which
/// drops each tree at once, is unchanged.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: MallocConf =
    MallocConf(c"thp:always,metadata_thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1".as_ptr());

/// A C string's address, as jemalloc declares `malloc_conf`.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[repr(transparent)]
struct MallocConf(*const std::ffi::c_char);

// SAFETY: it points at a string literal, never written.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
unsafe impl Sync for MallocConf {}

fn main() -> std::process::ExitCode {
    cargo_pollguard::run(std::env::args_os())
}
