package dev.tollgate.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Draws a BPMN 2.0 process as a standalone SVG from the file's own diagram section (BPMN DI), so the picture in the
 * docs comes from the process the engine runs instead of being drawn by hand. Shapes and lines sit where the DI puts
 * them; only label text is laid out here. Same input, same bytes: nothing depends on locale, platform or hash order.
 * The docs' pictures and the candidate page's picture ({@link ProcessPicture}) both come from here. Every flow node
 * is a {@code <g data-node-id="…">}, so a page can mark one with a class.
 *
 * <p>Longer than 200 lines on purpose: a self-contained renderer from BPMN DI to SVG, with no dependency on the rest of Tollgate.
 */
public final class BpmnDiagram {

    private static final String MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";
    private static final String DC = "http://www.omg.org/spec/DD/20100524/DC";
    private static final String DI = "http://www.omg.org/spec/DD/20100524/DI";
    private static final double MARGIN = 20, LINE = 14, PAD = 8, LABEL_WIDTH = 100;
    private static final String INK = "#222";

    private record Box(double x, double y, double w, double h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    private final StringBuilder out = new StringBuilder();
    // What a label must not cover: shapes, earlier labels and the bounding box of each line segment (exact for the
    // horizontal and vertical runs BPMN editors draw, a little cautious for slanted ones).
    private final List<Box> taken = new ArrayList<>();
    private final List<Box> extent = new ArrayList<>(); // everything drawn, for the viewBox

    private BpmnDiagram() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: BpmnDiagram <process.bpmn> <picture.svg>");
        Files.writeString(Path.of(args[1]), toSvg(Path.of(args[0])), StandardCharsets.UTF_8);
    }

    public static String toSvg(Path bpmn) throws IOException {
        try (InputStream in = Files.newInputStream(bpmn)) {
            return toSvg(in, bpmn.toString());
        }
    }

    public static String toSvg(InputStream in, String bpmn) throws IOException {
        Element root = parse(in, bpmn);
        Element process = (Element) root.getElementsByTagNameNS(MODEL, "process").item(0);
        if (process == null) throw new IOException(bpmn + " has no process element");
        Map<String, Element> nodes = new LinkedHashMap<>(), flows = new LinkedHashMap<>();
        Set<String> defaultFlows = new HashSet<>();
        for (Element e : elements(process, MODEL, "*")) {
            String kind = e.getLocalName();
            if (kind.equals("sequenceFlow")) flows.put(e.getAttribute("id"), e);
            if (kind.endsWith("Event") || kind.endsWith("Gateway") || kind.endsWith("Task") || kind.equals("task")
                    || kind.equals("callActivity") || kind.equals("subProcess")) nodes.put(e.getAttribute("id"), e);
            defaultFlows.add(e.getAttribute("default"));
        }
        Map<String, Box> shapes = new LinkedHashMap<>(), labels = new LinkedHashMap<>();
        for (Element shape : elements(root, BPMNDI, "BPMNShape")) {
            for (Element b : elements(shape, DC, "Bounds")) { // bounds in a nested BPMNLabel place the name
                (b.getParentNode() == shape ? shapes : labels).put(shape.getAttribute("bpmnElement"), box(b));
            }
        }
        shapes.keySet().retainAll(nodes.keySet());
        BpmnDiagram d = new BpmnDiagram();
        d.taken.addAll(shapes.values());
        d.extent.addAll(shapes.values());
        Map<String, List<double[]>> edges = new LinkedHashMap<>();
        for (Element edge : elements(root, BPMNDI, "BPMNEdge")) {
            String id = edge.getAttribute("bpmnElement");
            List<double[]> points = new ArrayList<>();
            for (Element p : elements(edge, DI, "waypoint")) points.add(new double[] {num(p, "x"), num(p, "y")});
            for (Element b : elements(edge, DC, "Bounds")) labels.put(id, box(b));
            for (int i = 1; i < points.size(); i++) {
                double[] s = segment(points, i);
                double x = Math.min(s[0], s[2]), y = Math.min(s[1], s[3]);
                d.taken.add(new Box(x, y, Math.abs(s[2] - s[0]), Math.abs(s[3] - s[1])));
            }
            if (flows.containsKey(id) && points.size() > 1) edges.put(id, points);
        }
        // Edges first, so shapes cover line ends; boundary events last, as they sit on their activity's border.
        edges.forEach((id, pts) -> d.flow(id, pts, flows.get(id).getAttribute("name"), defaultFlows.contains(id),
                labels.get(id)));
        List<String> order = new ArrayList<>(shapes.keySet());
        order.sort(Comparator.comparing(id -> nodes.get(id).getLocalName().equals("boundaryEvent")));
        order.forEach(id -> d.node(nodes.get(id), shapes.get(id), labels.get(id)));
        String title = process.getAttribute("name");
        return d.document(title.isEmpty() ? process.getAttribute("id") : title);
    }

    private void flow(String id, List<double[]> points, String name, boolean isDefault, Box labelBounds) {
        StringJoiner pts = new StringJoiner(" ");
        points.forEach(pt -> pts.add(p(pt[0], pt[1])));
        points.forEach(pt -> extent.add(new Box(pt[0], pt[1], 0, 0)));
        out.append("<g data-flow-id=\"").append(esc(id)).append("\">\n");
        tag("polyline", "points", pts, "fill", "none", "stroke", INK, "stroke-width", 1.5,
                "marker-end", "url(#bpmn-arrow)");
        double[] s = segment(points, 1);
        if (isDefault) { // BPMN marks the default flow with a short slash just after its source
            double len = Math.hypot(s[2] - s[0], s[3] - s[1]), ux = (s[2] - s[0]) / len, uy = (s[3] - s[1]) / len;
            double px = s[0] + 10 * ux, py = s[1] + 10 * uy;
            tag("line", "x1", px - 3 * ux + 5 * uy, "y1", py - 3 * uy - 5 * ux, "x2", px + 3 * ux - 5 * uy,
                    "y2", py + 3 * uy + 5 * ux, "stroke", INK, "stroke-width", 1.5);
        }
        // The name goes by the middle of the longest straight run: the middle of the whole path is often a bend.
        for (int i = 2; i < points.size(); i++) {
            double[] c = segment(points, i);
            if (Math.hypot(c[2] - c[0], c[3] - c[1]) > Math.hypot(s[2] - s[0], s[3] - s[1])) s = c;
        }
        List<String> lines = wrap(name, LABEL_WIDTH);
        double mx = (s[0] + s[2]) / 2, my = (s[1] + s[3]) / 2, w = width(lines), h = lines.size() * LINE;
        label(lines, labelBounds, Math.abs(s[2] - s[0]) >= Math.abs(s[3] - s[1])
                ? List.of(new Box(mx - w / 2, my - 4 - h, w, h), new Box(mx - w / 2, my + 4, w, h))
                : List.of(new Box(mx + 6, my - h / 2, w, h), new Box(mx - 6 - w, my - h / 2, w, h)));
        out.append("</g>\n");
    }

    private void node(Element node, Box b, Box labelBounds) {
        String kind = node.getLocalName();
        double cx = b.x + b.w / 2, cy = b.y + b.h / 2, r = Math.min(b.w, b.h) / 2, m = r * 0.32;
        out.append("<g data-node-id=\"").append(esc(node.getAttribute("id"))).append("\" data-kind=\"").append(kind)
                .append("\">\n");
        if (kind.endsWith("Event")) {
            circle(cx, cy, kind.equals("endEvent") ? r - 1.5 : r, kind.equals("endEvent") ? 4 : 1.5);
            if (!kind.equals("startEvent") && !kind.equals("endEvent")) circle(cx, cy, r - 3, 1);
        } else if (kind.endsWith("Gateway")) {
            tag("polygon", "points", p(cx, b.y) + " " + p(b.x + b.w, cy) + " " + p(cx, b.y + b.h) + " " + p(b.x, cy),
                    "fill", "#fff", "stroke", INK, "stroke-width", 1.5);
            if (kind.equals("exclusiveGateway")) {
                mark("M" + p(cx - m, cy - m) + " L" + p(cx + m, cy + m) + " M" + p(cx + m, cy - m)
                        + " L" + p(cx - m, cy + m));
            } else if (kind.equals("parallelGateway")) {
                m *= 1.4;
                mark("M" + p(cx, cy - m) + " L" + p(cx, cy + m) + " M" + p(cx - m, cy) + " L" + p(cx + m, cy));
            } else if (kind.equals("eventBasedGateway")) {
                circle(cx, cy, 1.5 * m, 1);
                circle(cx, cy, 1.5 * m - 3, 1);
            }
        } else { // an activity: the name goes inside, below a small label saying what kind it is
            tag("rect", "x", b.x, "y", b.y, "width", b.w, "height", b.h, "rx", 10, "fill", "#fff", "stroke", INK,
                    "stroke-width", kind.equals("callActivity") ? 3 : 1.5);
            String label = switch (kind) {
                case "task" -> "";
                case "businessRuleTask" -> "rule";
                case "callActivity" -> "call";
                case "subProcess" -> "sub-process";
                default -> kind.replaceFirst("Task$", "");
            };
            if (!label.isEmpty()) {
                out.append("<text x=\"").append(n(b.x + 7)).append("\" y=\"").append(n(b.y + 14))
                        .append("\" font-size=\"10\" fill=\"#666\">").append(label).append("</text>\n");
            }
            List<String> lines = wrap(node.getAttribute("name"), b.w - 2 * PAD);
            int fit = (int) Math.max(1, (b.h - 20) / LINE); // the kind label takes the top; cut what would cover it
            if (lines.size() > fit) {
                lines = new ArrayList<>(lines.subList(0, fit));
                lines.set(fit - 1, lines.get(fit - 1) + "\u2026");
            }
            double h = lines.size() * LINE;
            label(lines, new Box(b.x + PAD, Math.max(cy + 2 - h / 2, b.y + 18), b.w - 2 * PAD, h), List.of());
            out.append("</g>\n");
            return;
        }
        // Event and gateway names go outside the shape: below, above, right, left, then by the corners.
        List<String> lines = wrap(node.getAttribute("name"), LABEL_WIDTH);
        double w = width(lines), h = lines.size() * LINE, above = b.y - 2 - h, below = b.y + b.h + 2;
        label(lines, labelBounds, List.of(new Box(cx - w / 2, below, w, h), new Box(cx - w / 2, above, w, h),
                new Box(b.x + b.w + 4, cy - h / 2, w, h), new Box(b.x - 4 - w, cy - h / 2, w, h),
                new Box(cx - 4 - w, below, w, h), new Box(cx + 4, below, w, h),
                new Box(cx - 4 - w, above, w, h), new Box(cx + 4, above, w, h)));
        out.append("</g>\n");
    }

    private String document(String title) {
        double left = Math.floor(extent.stream().mapToDouble(Box::x).min().orElse(0) - MARGIN);
        double top = Math.floor(extent.stream().mapToDouble(Box::y).min().orElse(0) - MARGIN);
        String x = n(left), y = n(top);
        String w = n(Math.ceil(extent.stream().mapToDouble(e -> e.x + e.w).max().orElse(0) + MARGIN) - left);
        String h = n(Math.ceil(extent.stream().mapToDouble(e -> e.y + e.h).max().orElse(0) + MARGIN) - top);
        // The opaque background keeps the dark lines readable on pages with a dark theme.
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"" + x + " " + y + " " + w + " " + h
                + "\" width=\"" + w + "\" height=\"" + h + "\" font-family=\"sans-serif\" font-size=\"12\""
                + " role=\"img\" aria-labelledby=\"bpmn-title\">\n"
                + "<title id=\"bpmn-title\">" + esc(title) + "</title>\n"
                + "<defs><marker id=\"bpmn-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\""
                + " markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"" + INK + "\"/></marker></defs>\n"
                + "<rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + w + "\" height=\"" + h + "\" fill=\"#fff\"/>\n"
                + out + "</svg>\n";
    }

    /**
     * Centred lines in {@code fixed} if given, else in the first option that keeps 2 px clear of everything taken (or
     * the first option if none does): a cheap stand-in for label layout that suits hand-placed diagrams.
     */
    private void label(List<String> lines, Box fixed, List<Box> options) {
        if (lines.isEmpty()) return;
        Box box = fixed != null ? fixed : options.stream()
                .filter(o -> taken.stream().noneMatch(new Box(o.x - 2, o.y - 2, o.w + 4, o.h + 4)::overlaps))
                .findFirst().orElse(options.get(0));
        taken.add(box);
        extent.add(box);
        for (int i = 0; i < lines.size(); i++) {
            out.append("<text x=\"").append(n(box.x + box.w / 2)).append("\" y=\"").append(n(box.y + 11 + i * LINE))
                    .append("\" text-anchor=\"middle\">").append(esc(lines.get(i))).append("</text>\n");
        }
    }

    /** An empty element; numbers go through {@link #n}, everything else is escaped. */
    private void tag(String name, Object... attributes) {
        out.append('<').append(name);
        for (int i = 0; i < attributes.length; i += 2) {
            Object v = attributes[i + 1];
            out.append(' ').append(attributes[i]).append("=\"")
                    .append(v instanceof Number num ? n(num.doubleValue()) : esc(v.toString())).append('"');
        }
        out.append("/>\n");
    }

    private void circle(double cx, double cy, double r, double strokeWidth) {
        tag("circle", "cx", cx, "cy", cy, "r", r, "fill", "#fff", "stroke", INK, "stroke-width", strokeWidth);
    }

    /** The bold symbol inside a gateway. */
    private void mark(String path) {
        tag("path", "d", path, "fill", "none", "stroke", INK, "stroke-width", 3);
    }

    /** Greedy word wrap; a word wider than the limit keeps a line of its own rather than being cut. */
    private static List<String> wrap(String text, double limit) {
        List<String> lines = new ArrayList<>();
        String line = "";
        for (String word : text.trim().split("\\s+")) {
            if (!line.isEmpty() && width(List.of(line + " " + word)) > limit) {
                lines.add(line);
                line = "";
            }
            line = line.isEmpty() ? word : line + " " + word;
        }
        if (!line.isEmpty()) lines.add(line);
        return lines;
    }

    /**
     * Estimated width of the widest line at 12 px. The viewer picks the actual sans-serif font, so there are no real
     * metrics; these widths follow DejaVu Sans, which runs wider than Arial or Helvetica, so text fits in all of them.
     */
    private static double width(List<String> lines) {
        double max = 0;
        for (String line : lines) {
            double w = 0;
            for (char c : line.toCharArray()) {
                w += "ilj.,:;'!| ".indexOf(c) >= 0 ? 3.6 : "tfr".indexOf(c) >= 0 ? 4.8
                        : "mwMW".indexOf(c) >= 0 ? 10.8 : Character.isUpperCase(c) ? 8.4 : 7.4;
            }
            max = Math.max(max, w);
        }
        return max;
    }

    private static Element parse(InputStream in, String bpmn) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true); // no external entities
            return factory.newDocumentBuilder().parse(in).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + bpmn + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> elements(Element root, String ns, String name) {
        NodeList list = root.getElementsByTagNameNS(ns, name);
        List<Element> result = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) result.add((Element) list.item(i));
        return result;
    }

    private static Box box(Element bounds) {
        return new Box(num(bounds, "x"), num(bounds, "y"), num(bounds, "width"), num(bounds, "height"));
    }

    private static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    /** The segment ending at waypoint {@code i}, as {x1, y1, x2, y2}. */
    private static double[] segment(List<double[]> points, int i) {
        return new double[] {points.get(i - 1)[0], points.get(i - 1)[1], points.get(i)[0], points.get(i)[1]};
    }

    private static String p(double x, double y) {
        return n(x) + "," + n(y);
    }

    /** At most one decimal and no locale, so the bytes depend on the input only. */
    private static String n(double v) {
        long t = Math.round(v * 10);
        return t % 10 == 0 ? Long.toString(t / 10) : (t < 0 ? "-" : "") + Math.abs(t) / 10 + "." + Math.abs(t) % 10;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
