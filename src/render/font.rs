//! A tiny hand-drawn 5×7 bitmap font (with descenders) for the text the headless renderer puts
//! into images (tick values, axis names, the step/state caption). The window
//! paints the same strings with egui; this only has to be legible, with no
//! font files or rasteriser in the dependency tree.

/// Glyph rows, top to bottom; `#` is ink. Unknown characters draw as a box.
#[rustfmt::skip]
fn glyph(c: char) -> [&'static str; 7] {
    match c {
        '0' => [
            " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### ",
        ],
        '1' => [
            "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ",
        ],
        '2' => [
            " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####",
        ],
        '3' => [
            "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### ",
        ],
        '4' => [
            "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # ",
        ],
        '5' => [
            "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### ",
        ],
        '6' => [
            "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### ",
        ],
        '7' => [
            "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   ",
        ],
        '8' => [
            " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### ",
        ],
        '9' => [
            " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  ",
        ],
        'a' => [
            "     ", "     ", " ### ", "    #", " ####", "#   #", " ####",
        ],
        'b' => [
            "#    ", "#    ", "# ## ", "##  #", "#   #", "#   #", "#### ",
        ],
        'c' => [
            "     ", "     ", " ### ", "#    ", "#    ", "#   #", " ### ",
        ],
        'd' => [
            "    #", "    #", " ## #", "#  ##", "#   #", "#   #", " ####",
        ],
        'e' => [
            "     ", "     ", " ### ", "#   #", "#####", "#    ", " ### ",
        ],
        'f' => [
            "  ## ", " #  #", " #   ", "###  ", " #   ", " #   ", " #   ",
        ],
        'g' => [" ####", "#   #", "#   #", "#   #", " ####", "    #", " ### "],
        'h' => [
            "#    ", "#    ", "# ## ", "##  #", "#   #", "#   #", "#   #",
        ],
        'i' => [
            "  #  ", "     ", " ##  ", "  #  ", "  #  ", "  #  ", " ### ",
        ],
        'j' => [
            "   # ", "     ", "  ## ", "   # ", "   # ", "#  # ", " ##  ",
        ],
        'k' => [
            "#    ", "#    ", "#  # ", "# #  ", "##   ", "# #  ", "#  # ",
        ],
        'l' => [
            " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ",
        ],
        'm' => [
            "     ", "     ", "## # ", "# # #", "# # #", "#   #", "#   #",
        ],
        'n' => [
            "     ", "     ", "# ## ", "##  #", "#   #", "#   #", "#   #",
        ],
        'o' => [
            "     ", "     ", " ### ", "#   #", "#   #", "#   #", " ### ",
        ],
        'p' => ["#### ", "#   #", "#   #", "#   #", "#### ", "#    ", "#    "],
        'q' => [" ####", "#   #", "#   #", "#   #", " ####", "    #", "    #"],
        'r' => [
            "     ", "     ", "# ## ", "##  #", "#    ", "#    ", "#    ",
        ],
        's' => [
            "     ", "     ", " ### ", "#    ", " ### ", "    #", "#### ",
        ],
        't' => [
            " #   ", " #   ", "###  ", " #   ", " #   ", " #  #", "  ## ",
        ],
        'u' => [
            "     ", "     ", "#   #", "#   #", "#   #", "#  ##", " ## #",
        ],
        'v' => [
            "     ", "     ", "#   #", "#   #", "#   #", " # # ", "  #  ",
        ],
        'w' => [
            "     ", "     ", "#   #", "#   #", "# # #", "# # #", " # # ",
        ],
        'x' => [
            "     ", "     ", "#   #", " # # ", "  #  ", " # # ", "#   #",
        ],
        'y' => ["#   #", "#   #", "#   #", "#   #", " ####", "    #", " ### "],
        'z' => [
            "     ", "     ", "#####", "   # ", "  #  ", " #   ", "#####",
        ],
        'E' => [
            "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####",
        ],
        '-' => [
            "     ", "     ", "     ", "#####", "     ", "     ", "     ",
        ],
        '+' => [
            "     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     ",
        ],
        '.' => [
            "     ", "     ", "     ", "     ", "     ", " ##  ", " ##  ",
        ],
        ',' => [
            "     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   ",
        ],
        ':' => [
            "     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     ",
        ],
        '=' => [
            "     ", "     ", "#####", "     ", "#####", "     ", "     ",
        ],
        '/' => [
            "     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     ",
        ],
        '(' => [
            "   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # ",
        ],
        ')' => [
            " #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   ",
        ],
        '%' => [
            "##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##",
        ],
        '·' => [
            "     ", "     ", "     ", "  #  ", "     ", "     ", "     ",
        ],
        ' ' => ["     "; 7],
        _ => [
            "#####", "#   #", "#   #", "#   #", "#   #", "#   #", "#####",
        ],
    }
}

pub const GLYPH_W: u32 = 5;
/// Seven rows of glyph plus two below the baseline for descenders.
pub const GLYPH_H: u32 = 9;

/// Letters drawn two rows lower: their table rows are x-height (5) + descender (2).
fn descends(c: char) -> bool {
    matches!(c, 'g' | 'p' | 'q' | 'y')
}

/// Pixel size of `text` at integer `scale` (one blank column between letters).
pub fn text_size(text: &str, scale: u32) -> (u32, u32) {
    let n = text.chars().count() as u32;
    let w = if n == 0 { 0 } else { n * (GLYPH_W + 1) - 1 };
    (w * scale, GLYPH_H * scale)
}

/// An RGBA image, rows top-down, that text can be drawn into.
pub struct Canvas<'a> {
    pub pixels: &'a mut [u8],
    pub width: u32,
    pub height: u32,
}

impl Canvas<'_> {
    fn put(&mut self, x: i64, y: i64, c: [u8; 3]) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let i = 4 * (y as usize * self.width as usize + x as usize);
        if let Some(px) = self.pixels.get_mut(i..i + 4) {
            px.copy_from_slice(&[c[0], c[1], c[2], 255]);
        }
    }

    /// Fills a rectangle (clipped to the canvas).
    pub fn fill(&mut self, x: i64, y: i64, w: u32, h: u32, c: [u8; 3]) {
        for yy in y..y + h as i64 {
            for xx in x..x + w as i64 {
                self.put(xx, yy, c);
            }
        }
    }

    /// Draws `text` with its top-left corner at (`x`, `y`); pixels outside are clipped.
    pub fn text(&mut self, x: i64, y: i64, text: &str, scale: u32, c: [u8; 3]) {
        let s = scale.max(1) as i64;
        for (n, ch) in text.chars().enumerate() {
            let gx = x + n as i64 * (GLYPH_W as i64 + 1) * s;
            let drop = if descends(ch) { 2 } else { 0 };
            for (row, bits) in glyph(ch).iter().enumerate() {
                let row = row + drop;
                for (col, b) in bits.bytes().enumerate() {
                    if b == b'#' {
                        self.fill(
                            gx + col as i64 * s,
                            y + row as i64 * s,
                            s as u32,
                            s as u32,
                            c,
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_is_5_by_7() {
        for c in "0123456789abcdefghijklmnopqrstuvwxyzE-+.,:=/()%· ?".chars() {
            let g = glyph(c);
            assert!(g.iter().all(|r| r.len() == 5), "glyph {c:?}");
        }
    }

    #[test]
    fn text_is_drawn_and_clipped() {
        let mut px = vec![0u8; 4 * 20 * 10];
        let mut c = Canvas {
            pixels: &mut px,
            width: 20,
            height: 10,
        };
        c.text(-3, 2, "1.5", 1, [255, 0, 0]);
        c.text(18, 8, "88", 2, [255, 0, 0]);
        assert!(px.chunks(4).any(|p| p[0] == 255));
        assert_eq!(text_size("ab", 2), (22, 18));
        assert_eq!(text_size("", 2), (0, 18));
    }
}
