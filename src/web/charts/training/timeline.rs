//! The truncated-BPTT timeline: chunks, where each back-propagates and
//! where its losses are, ‖h_t‖ and ‖dh_t‖ against full BPTT, and the updates.

use super::*;

/// One chunk of the timeline (the fields of `training_timeline()`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChunkData {
    pub start: usize,
    pub loss_from: usize,
    pub end: usize,
    pub dh_start_norm: f64,
}

/// What the timeline draws: `Lab.training_timeline()` as it is.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TimelineData {
    pub steps: usize,
    pub chunks: Vec<ChunkData>,
    /// ‖h_t‖, t = 0..T.
    pub h_norms: Vec<f64>,
    /// ‖dh_t‖ of this backward pass, t = 0..T.
    pub dh_norms: Vec<f64>,
    /// ‖dh_t‖ of full BPTT, t = 0..T (drawn as outlines for comparison).
    pub full_dh_norms: Vec<f64>,
    /// Input symbol of each step t = 1..T.
    pub inputs: Vec<String>,
    /// Steps after which the parameters are updated (each chunk's end, or T).
    pub updates: Vec<usize>,
}

/// A horizontal arrow from x0 to x1 at height y (head at x1).
fn arrow(
    root: &Area,
    x0: i32,
    x1: i32,
    y: i32,
    style: ShapeStyle,
    head: i32,
) -> Result<(), JsError> {
    root.draw(&PathElement::new(vec![(x0, y), (x1, y)], style))
        .map_err(js_error)?;
    let dir = if x1 >= x0 { 1 } else { -1 };
    root.draw(&Polygon::new(
        vec![
            (x1, y),
            (x1 - dir * head, y - head / 2 - 1),
            (x1 - dir * head, y + head / 2 + 1),
        ],
        style.color.filled(),
    ))
    .map_err(js_error)
}

/// Draws the truncated-BPTT timeline: the forward state carried along the
/// whole sequence, each chunk's backward pass inside its chunk, a stop at
/// every chunk start with the norm of the gradient dropped there, a marker
/// (◆, a black line) after every step where the parameters are updated,
/// and the bars of ‖dL/dh_t‖ (full BPTT outlined).
pub fn draw_timeline(
    canvas: &HtmlCanvasElement,
    d: &TimelineData,
    s: Scale,
) -> Result<(), JsError> {
    let root = area(canvas)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let steps = d.steps.max(1) as i32;
    let left = s.px(64.0) as i32;
    let right = s.px(16.0) as i32;
    let col = ((w - left - right) as f64 / (steps + 1) as f64).max(1.0);
    // Centre of the column of state t (t = 0: h_0).
    let cx = |t: usize| left + (col * (t as f64 + 0.5)) as i32;
    let edge = |t: usize| left + (col * (t as f64 + 1.0)) as i32;
    let px = |v: f64| s.px(v) as i32;
    let text = |size, c, hp, vp| anchored(s, size, c, hp, vp);
    let roomy = col >= 14.0 * s.dpr;

    // Rows, top to bottom.
    let y_chunks = px(4.0);
    let y_input = px(30.0);
    let y_fwd = px(58.0);
    let lane_h = px(26.0);
    let y_back0 = px(90.0);
    let y_bars_top = y_back0 + 2 * lane_h + px(18.0);
    let y_bars_bottom = h - px(20.0);

    for (label, y) in [
        ("x_t", y_input),
        ("h_t →", y_fwd),
        ("← dL/dh", y_back0 + lane_h / 2),
        ("‖dL/dh_t‖", (y_bars_top + y_bars_bottom) / 2),
    ] {
        // Typeset: x_t and h_t with real subscripts.
        super::text::Rich::new(13.0).color(colors::AXIS).draw(
            &root,
            s,
            label,
            (px(4.0), y),
            HPos::Left,
            VPos::Center,
        )?;
    }

    // Chunk bands: where each chunk back-propagates (light), where its losses are (darker).
    for (i, c) in d.chunks.iter().enumerate() {
        let shade = if i % 2 == 0 { 0.10 } else { 0.18 };
        let x0 = edge(c.start);
        let x1 = edge(c.end);
        root.draw(&Rectangle::new(
            [(x0, y_chunks), (x1, y_bars_bottom)],
            colors::W_HY.mix(shade * 0.5).filled(),
        ))
        .map_err(js_error)?;
        root.draw(&Rectangle::new(
            [(edge(c.loss_from), y_chunks), (x1, y_chunks + px(18.0))],
            colors::W_HY.mix(shade + 0.25).filled(),
        ))
        .map_err(js_error)?;
        if (x1 - x0) as f64 > 70.0 * s.dpr {
            root.draw(&Text::new(
                format!("chunk {}", i + 1),
                ((edge(c.loss_from) + x1) / 2, y_chunks + px(9.0)),
                text(12.0, colors::TEXT, HPos::Center, VPos::Center),
            ))
            .map_err(js_error)?;
        }
    }

    // The updates: a black line after each step where the optimiser changes W (after
    // every chunk, or once after the sequence), a ◆ at its foot and, where there is
    // room, the words "update W" beside it (to the left of the last one).
    let y_update = y_back0 + 2 * lane_h + px(4.0);
    let label_w = (62.0 * s.dpr) as i32;
    for (k, &u) in d.updates.iter().enumerate() {
        let x = edge(u.min(d.steps));
        root.draw(&PathElement::new(
            vec![(x, y_chunks), (x, y_update)],
            s.line(colors::TEXT, 2.0),
        ))
        .map_err(js_error)?;
        let r = px(5.0);
        root.draw(&Polygon::new(
            vec![
                (x, y_update - r),
                (x + r, y_update),
                (x, y_update + r),
                (x - r, y_update),
            ],
            colors::TEXT.filled(),
        ))
        .map_err(js_error)?;
        let prev = if k > 0 { edge(d.updates[k - 1]) } else { left };
        let next = d.updates.get(k + 1).map_or(w - right, |&n| edge(n));
        let at = if next - x > label_w + r {
            Some((x + r + px(2.0), HPos::Left))
        } else if x - prev > label_w + r {
            Some((x - r - px(2.0), HPos::Right))
        } else {
            None
        };
        if let Some((at, hp)) = at {
            root.draw(&Text::new(
                "update W",
                (at, y_update),
                text(11.5, colors::TEXT, hp, VPos::Center),
            ))
            .map_err(js_error)?;
        }
    }

    // Inputs and the forward state: h is carried across every border.
    let fwd = s.line(colors::W_HH, 2.0);
    for t in 0..=d.steps {
        if let Some(c) = d.inputs.get(t.wrapping_sub(1)).filter(|_| roomy) {
            root.draw(&Text::new(
                c.clone(),
                (cx(t), y_input),
                text(14.0, colors::TEXT, HPos::Center, VPos::Center),
            ))
            .map_err(js_error)?;
        }
        if t < d.steps {
            arrow(
                &root,
                cx(t) + px(4.0),
                cx(t + 1) - px(4.0),
                y_fwd,
                fwd,
                px(6.0).min(col as i32 / 2).max(2),
            )?;
        }
        let r = (col * 0.22).clamp(1.5, 7.0 * s.dpr) as i32;
        root.draw(&Circle::new((cx(t), y_fwd), r, colors::W_HH.filled()))
            .map_err(js_error)?;
    }

    // Backward: inside each chunk, from its last step down to its start.
    let max_dh = d
        .dh_norms
        .iter()
        .chain(&d.full_dh_norms)
        .filter(|v| v.is_finite())
        .fold(0.0f64, |a, &v| a.max(v))
        .max(f64::MIN_POSITIVE);
    let width_of = |v: f64| {
        let f = if v.is_finite() {
            (v / max_dh).sqrt()
        } else {
            1.0
        };
        1.0 + 6.0 * f
    };
    for (i, c) in d.chunks.iter().enumerate() {
        // Overlapping windows (k2 > k1) go to the second lane.
        let overlaps = i > 0 && c.start < d.chunks[i - 1].end;
        let y = y_back0 + if overlaps && i % 2 == 1 { lane_h } else { 0 } + lane_h / 2;
        for t in (c.start + 1..=c.end).rev() {
            let v = d.dh_norms.get(t).copied().unwrap_or(0.0);
            let style = s.line(colors::GRADIENT, width_of(v));
            arrow(
                &root,
                cx(t) - px(3.0),
                cx(t - 1) + px(5.0),
                y,
                style,
                (px(6.0) + style.stroke_width as i32)
                    .min(col as i32 / 2)
                    .max(2),
            )?;
        }
        // The border: the gradient reaching h_start stops here.
        let xs = cx(c.start);
        root.draw(&PathElement::new(
            vec![(xs - px(2.0), y - px(9.0)), (xs - px(2.0), y + px(9.0))],
            s.line(colors::TEXT, 3.0),
        ))
        .map_err(js_error)?;
        if roomy || d.chunks.len() <= 12 {
            root.draw(&Text::new(
                format!("✕ {}", tick(c.dh_start_norm)),
                (xs, y - px(11.0)),
                text(11.5, colors::TEXT, HPos::Center, VPos::Bottom),
            ))
            .map_err(js_error)?;
        }
    }

    // Bars of ‖dL/dh_t‖: this backward pass filled, full BPTT outlined.
    let bar_h = (y_bars_bottom - y_bars_top).max(1) as f64;
    let bw = ((col * 0.6) as i32).max(1);
    for t in 0..=d.steps {
        let v = d.dh_norms.get(t).copied().unwrap_or(0.0);
        let hgt = if v.is_finite() { v / max_dh } else { 1.0 } * bar_h;
        let x = cx(t) - bw / 2;
        root.draw(&Rectangle::new(
            [(x, y_bars_bottom - hgt as i32), (x + bw, y_bars_bottom)],
            colors::GRADIENT.filled(),
        ))
        .map_err(js_error)?;
        if let Some(&f) = d.full_dh_norms.get(t) {
            let fh = if f.is_finite() { f / max_dh } else { 1.0 } * bar_h;
            root.draw(&Rectangle::new(
                [(x, y_bars_bottom - fh as i32), (x + bw, y_bars_bottom)],
                s.line(colors::TEXT, 1.0),
            ))
            .map_err(js_error)?;
        }
    }
    root.draw(&PathElement::new(
        vec![(left, y_bars_bottom), (w - right, y_bars_bottom)],
        s.line(colors::AXIS, 1.0),
    ))
    .map_err(js_error)?;
    // t labels under the bars, thinned to fit.
    let every = ((28.0 * s.dpr) / col).ceil().max(1.0) as usize;
    for t in (0..=d.steps).step_by(every) {
        root.draw(&Text::new(
            t.to_string(),
            (cx(t), y_bars_bottom + px(3.0)),
            text(12.0, colors::AXIS, HPos::Center, VPos::Top),
        ))
        .map_err(js_error)?;
    }
    root.draw(&Text::new(
        format!("max {}", tick(max_dh)),
        (px(4.0), y_bars_top),
        text(11.5, colors::AXIS, HPos::Left, VPos::Top),
    ))
    .map_err(js_error)?;
    root.present().map_err(js_error)
}

/// JS: `draw_timeline_chart(canvas, lab.training_timeline(k1, k2, per_chunk))`.
#[wasm_bindgen]
pub fn draw_timeline_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_timeline(canvas, &data("timeline", data_obj)?, Scale::given(scale))
}
