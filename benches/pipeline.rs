//! Criterion benchmarks of the per-file pipeline (issue #7): the byte prefilter, the
//! parse alone, parse + extract (the front end's summary), and resolve (the analysis of a
//! whole small project, files already summarised). Run with `cargo bench --bench pipeline`.
//!
//! These measure one core; the end-to-end comparison with other tools is `bench/run.sh`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use checkout_lint::lang::python::{self, ImportsListed, ProjectView};
use checkout_lint::{analysis, config, index::project::Project, workspace::prefilter::Prefilter};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// A real module of the incident's code base: routes with create sites, helpers, imports.
const CHECKOUT_PY: &str =
    include_str!("../fixtures/basketball_api/src/basketball_api/routes/checkout.py");

fn per_file(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_file");
    group.throughput(Throughput::Bytes(CHECKOUT_PY.len() as u64));

    let prefilter = Prefilter::checkout();
    let no_token = CHECKOUT_PY
        .replace("heckout", "heck_out")
        .replace("HECKOUT", "HECK_OUT");
    group.bench_function("prefilter_hit", |b| {
        b.iter(|| prefilter.matches(std::hint::black_box(CHECKOUT_PY.as_bytes())))
    });
    group.bench_function("prefilter_miss", |b| {
        b.iter(|| prefilter.matches(std::hint::black_box(no_token.as_bytes())))
    });
    group.bench_function("parse", |b| {
        b.iter(|| ruff_python_parser::parse_module(std::hint::black_box(CHECKOUT_PY)).is_ok())
    });

    let project_modules: HashSet<String> = ["basketball_api.config".to_string()].into();
    let wrappers = HashMap::new();
    let reexports = HashMap::new();
    let view = ProjectView {
        project_modules: &project_modules,
        wrappers: &wrappers,
        reexports: &reexports,
        reexported_names: &HashSet::new(),
        imports_listed: ImportsListed::Stripe,
        helper_functions: true,
        skim: None,
    };
    group.bench_function("parse_and_extract", |b| {
        b.iter(|| {
            python::summarize(
                std::hint::black_box(CHECKOUT_PY),
                "basketball_api.routes.checkout",
                false,
                &view,
            )
            .is_ok()
        })
    });
    group.finish();
}

fn resolve(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/basketball_api");
    c.bench_function("resolve_basketball_api", |b| {
        b.iter_batched(
            || {
                Project::load(
                    config::load(None, &root).expect("fixture config"),
                    &[],
                    false,
                )
            },
            |project| analysis::run(&project, None).call_sites.len(),
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, per_file, resolve);
criterion_main!(benches);
