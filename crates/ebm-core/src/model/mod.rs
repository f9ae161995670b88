//! The mathematics: datasets, nets, energies, losses, training and metrics.
//! Pure code: no threads, no file IO, no GUI (it must also run in a browser).

pub mod answers;
pub mod architecture;
pub mod cost;
pub mod dataset;
pub mod dense;
pub mod density_net;
pub mod descent;
pub mod energy_model;
pub mod generic_objective;
pub mod grid;
pub mod inference;
pub mod inference_spec;
pub mod kernels;
pub mod latent;
pub mod line_search;
pub mod loss;
pub mod metrics;
pub mod mlp;
pub mod model_file;
pub mod named;
pub mod objective;
pub mod optimizer;
pub mod plane;
pub mod real;
pub mod spec;
pub mod state_rule;
pub mod training;
pub mod view;

pub use architecture::{Architecture, GridWorkspace, Model};
pub use cost::Cost;
pub use dataset::{Dataset, DatasetKind, Spacing};
pub use loss::{Contrast, Loss, LossParams};
pub use metrics::{Metrics, State};
pub use optimizer::OptimizerKind;
pub use real::Real;
pub use spec::{BuildSpec, RunSpec, TrainSpec};
pub use training::{Divergence, Run};
pub use view::{surface_view, SurfaceView, ViewWorkspace};
