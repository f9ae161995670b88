//! Models whose answers are points of the plane, y = (y₁, y₂): the
//! latent-variable lessons and the energy-based densities (sampling). The data, the trainer (over the generic
//! objective and the [`EnergyModel`](crate::model::energy_model::EnergyModel)
//! interface), the state rule read on the plane, the picture of F, and the
//! presets with their promises.

pub mod contrastive;
pub mod data;
pub mod density_metrics;
pub mod metrics;
pub mod model;
pub mod model_file;
pub mod negatives;
pub mod presets;
pub mod run;
pub mod settings;
pub mod toy_sets;
pub mod view;

pub use data::{parse_plane_csv, PlaneData, PlaneSet};
pub use model::PlaneModel;
pub use run::{PlaneRun, PlaneSpec};
pub use view::{plane_view, PlaneView};
