//! 図 (charts): inline SVG drawn by a template (`chart.html`) from typed shapes, so every label
//! is escaped by askama like any other output and no page shows hand-built markup with `|safe`.
//!
//! A page method builds a [`Chart`] in its own coordinates; the page template includes the
//! partial with the chart in scope:
//! `{% if let Some(chart) = spend_chart() %}{% include "chart.html" %}{% endif %}`.

/// One SVG figure: a `viewBox` of `width` × `height`, its accessible title and its shapes in
/// drawing order.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Unique on the page (the title's element id is `<id>-title`).
    pub id: &'static str,
    pub title: String,
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

/// Text alignment at its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn key(&self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// What a chart is drawn with. `tip` is shown on hover (an SVG `<title>`).
#[derive(Clone, Debug)]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &'static str,
        tip: Option<String>,
    },
    Text {
        x: f64,
        y: f64,
        size: u32,
        anchor: Anchor,
        text: String,
    },
    /// `dash` is an SVG `stroke-dasharray` (empty for a solid line).
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &'static str,
        width: f64,
        dash: &'static str,
        tip: Option<String>,
    },
    Polyline {
        points: Vec<(f64, f64)>,
        stroke: &'static str,
        width: f64,
        tip: Option<String>,
    },
}

impl Chart {
    pub fn new(id: &'static str, title: impl Into<String>, width: f64, height: f64) -> Chart {
        Chart { id, title: title.into(), width, height, shapes: Vec::new() }
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &'static str, tip: Option<String>) -> &mut Self {
        self.shapes.push(Shape::Rect { x, y, w, h, fill, tip });
        self
    }

    pub fn text(&mut self, x: f64, y: f64, size: u32, anchor: Anchor, text: impl Into<String>) -> &mut Self {
        self.shapes.push(Shape::Text { x, y, size, anchor, text: text.into() });
        self
    }

    /// A solid line (`dashed` draws 6-3 dashes).
    #[allow(clippy::too_many_arguments)]
    pub fn line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        stroke: &'static str,
        width: f64,
        dashed: bool,
        tip: Option<String>,
    ) -> &mut Self {
        self.shapes.push(Shape::Line { x1, y1, x2, y2, stroke, width, dash: if dashed { "6 3" } else { "" }, tip });
        self
    }

    pub fn polyline(
        &mut self,
        points: Vec<(f64, f64)>,
        stroke: &'static str,
        width: f64,
        tip: Option<String>,
    ) -> &mut Self {
        self.shapes.push(Shape::Polyline { points, stroke, width, tip });
        self
    }

    /// A legend entry: a 10 × 10 swatch at (x, y) and its label beside it.
    pub fn swatch(&mut self, x: f64, y: f64, fill: &'static str, label: impl Into<String>) -> &mut Self {
        self.rect(x, y, 10.0, 10.0, fill, None).text(x + 14.0, y + 9.0, 12, Anchor::Start, label)
    }
}

/// A coordinate as the SVG gets it (one decimal; no "-0.0").
pub fn coord(v: &f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 { "0".into() } else { format!("{r}") }
}

/// Polyline points as `x,y x,y …`.
pub fn points(p: &[(f64, f64)]) -> String {
    p.iter().map(|(x, y)| format!("{},{}", coord(x), coord(y))).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::Template;

    #[derive(Template)]
    #[template(source = r#"{% include "chart.html" %}"#, ext = "html")]
    struct Holder {
        chart: Chart,
    }

    #[test]
    fn labels_are_escaped_and_shapes_drawn_in_order() {
        let mut chart = Chart::new("t", "<題>", 100.0, 50.0);
        chart
            .rect(1.0, 2.0, 3.25, 4.0, "#123456", Some("A&B".into()))
            .text(5.0, 6.0, 12, Anchor::End, "<script>")
            .line((0.0, 1.0), (2.0, 1.0), "#b00020", 2.0, true, None)
            .polyline(vec![(0.0, 0.0), (1.04, 2.0)], "#2e7d32", 2.5, None);
        let html = Holder { chart }.render().unwrap();
        assert!(html.starts_with(r#"<svg viewBox="0 0 100 50""#), "{html}");
        assert!(html.contains("&#60;題&#62;") || html.contains("&lt;題&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains(r##"<rect x="1" y="2" width="3.3" height="4" fill="#123456"><title>A&#38;B</title></rect>"##)
                || html.contains("A&amp;B"),
            "{html}"
        );
        assert!(html.contains(r#"text-anchor="end""#) && html.contains(r#"stroke-dasharray="6 3""#), "{html}");
        assert!(html.contains(r#"points="0,0 1,2""#), "{html}");
        let (r, t) = (html.find("<rect").unwrap(), html.find("<text").unwrap());
        assert!(r < t && html.trim_end().ends_with("</svg>"));
    }
}
