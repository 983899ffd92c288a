//! The `checkout-lint` binary: sets up the thread pool and hands over to `cli`.

// Parsing allocates and frees many small AST nodes on every worker thread; glibc's malloc
// spent about a quarter of the run in its own bookkeeping (perf, synthetic bench tree).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` (15 in the headers of mimalloc v2 and v3; the Rust bindings do
/// not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // No transparent huge pages: mimalloc asks for them on its arenas, and then a few live
    // objects keep a whole 2 MiB page resident. Peak RSS on the synthetic bench tree went
    // from 55 to 44 MB, time unchanged (bench/run.sh). Options set here come too late for
    // the arena mimalloc maps before `main`; the process-wide switch does not.
    #[cfg(target_os = "linux")]
    // SAFETY: a plain prctl on this process, before any thread is started.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Return freed pages to the OS after 3 ms instead of 10: each file's bytes and AST are
    // freed before the next file is read, and the default delay kept enough of them around
    // to raise peak RSS from ~35 to ~62 MB on CPython's stdlib; 0 ms cost 50% more time in
    // madvise calls, 3 ms costs nothing measurable (bench/run.sh on the stdlib).
    // SAFETY: sets a plain integer option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 3) };
    // Front ends recurse over syntax trees; deep but valid nesting must not overflow the
    // default 2 MiB stacks of worker threads.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build_global();
    let code = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(checkout_lint::cli::main)
        .map(|handle| handle.join().unwrap_or(2))
        .unwrap_or(2);
    std::process::exit(code);
}
