//! The View menu's choices and the layout they pick: state of the window's
//! own, that no session sees.

/// What the window shows; the View menu, the keys (F5, G, K, F1) and the
/// presentation bar change it through [`Action`](super::action::Action)s.
pub struct ViewOptions {
    /// The presentation layout (F5).
    pub presenting: bool,
    /// The key to the 3D view's beads and lines (K).
    pub show_key: bool,
    /// The step-0 surface, faint, under the current one (G).
    pub show_ghost: bool,
    /// The metrics plot on a log scale.
    pub log_metrics: bool,
    /// The help window (F1).
    pub show_help: bool,
}

impl ViewOptions {
    /// The opening choices; `presenting` from `EBM_LAB_PRESENT=1`.
    pub fn new(presenting: bool) -> ViewOptions {
        ViewOptions {
            presenting,
            show_key: true,
            show_ghost: true,
            log_metrics: false,
            show_help: false,
        }
    }

    /// Escape closes the help window first, then leaves the presentation layout.
    pub fn escape(&mut self) {
        if self.show_help {
            self.show_help = false;
        } else {
            self.presenting = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_closes_the_help_before_the_presentation() {
        let mut o = ViewOptions::new(true);
        o.show_help = true;
        o.escape();
        assert!(!o.show_help && o.presenting);
        o.escape();
        assert!(!o.presenting);
    }
}
