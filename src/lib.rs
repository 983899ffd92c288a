//! checkout-lint finds every place a Python or Rust code base creates a Stripe Checkout Session and
//! checks that each passes an `expires_at` derived from one shared TTL constant whose value
//! lies inside Stripe's window (30 minutes to 24 hours).
//!
//! The pipeline flows one way (see `ARCHITECTURE.md`): `workspace` (walk, prefilter) →
//! `lang` (parse, summarise into `facts`) → `index` (the project and its passes) →
//! `analysis` (values, with the verdicts of `rules`) → `report`.
//!
//! ```no_run
//! use checkout_lint::{analysis, config, index::project::Project};
//! let config = config::load(None, std::path::Path::new(".")).expect("config");
//! let project = Project::load(config, &[], false);
//! let outcome = analysis::run(&project, None);
//! println!("{} call sites, {} errors", outcome.call_sites.len(), outcome.errors());
//! ```

pub mod analysis;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod error;
pub mod facts;
pub mod fix;
pub mod flow;
pub mod index;
pub mod lang;
pub mod report;
pub mod rules;
pub mod runbook;
pub mod shapes;
pub mod workspace;
