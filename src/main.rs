//! The `checkout-lint` binary: sets up the thread pool and hands over to `cli`.

// Parsing allocates and frees many small AST nodes on every worker thread; glibc's malloc
// spent about a quarter of the run in its own bookkeeping (perf, synthetic bench tree).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
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
