//! A plot's key as a row of marks and labels above it: it never covers a
//! curve, and its entries are real labels (read out, and found by tests).

use egui::{Color32, Stroke, Ui};

use crate::scene::colormap::Mark;

#[derive(Clone, Copy, Debug)]
pub struct KeyItem<'a> {
    pub mark: Mark,
    pub color: Color32,
    pub text: &'a str,
}

impl<'a> KeyItem<'a> {
    pub fn new(mark: Mark, color: Color32, text: &'a str) -> Self {
        KeyItem { mark, color, text }
    }
}

pub fn key_row_ui(ui: &mut Ui, items: &[KeyItem<'_>]) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for item in items {
            let h = ui.text_style_height(&egui::TextStyle::Body);
            let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, h), egui::Sense::hover());
            let c = rect.center();
            let p = ui.painter();
            match item.mark {
                Mark::Bead => {
                    p.circle(c, 4.0, item.color, Stroke::new(1.0, Color32::from_gray(40)));
                }
                Mark::Line | Mark::Patch => {
                    let d = egui::vec2(7.0, 0.0);
                    p.line_segment([c - d, c + d], Stroke::new(2.5, item.color));
                }
            }
            ui.label(item.text);
            ui.add_space(8.0);
        }
    });
}
