package dev.jnmt.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * The multi-system table sacrebleu prints with {@code tabulate(..., tablefmt='fancy_grid',
 * colalign=('right',), stralign='center', numalign='center')}: the system column right-aligned,
 * the metric columns centred (Python's {@code '^'}: an odd space goes right), every column at least
 * two wider than its header, one space of padding, a cell's lines ({@code \n}) aligned one by one
 * and short cells padded with blank lines below. Widths count code points, as tabulate does
 * without {@code wcwidth}.
 */
final class FancyGrid {
  private FancyGrid() {}

  /**
   * @param metricHeaders the metric columns' headers ({@code System} comes first by itself)
   * @param systems the first column
   * @param cells one row per system, one cell per metric
   */
  static String render(
      List<String> metricHeaders, List<String> systems, List<List<String>> cells) {
    int ncols = metricHeaders.size() + 1;
    List<String> headers = new ArrayList<>();
    headers.add("System");
    headers.addAll(metricHeaders);
    // columns[c][r] = the lines of row r's cell in column c
    List<List<List<String>>> columns = new ArrayList<>();
    int[] widths = new int[ncols];
    for (int c = 0; c < ncols; c++) {
      List<List<String>> col = new ArrayList<>();
      int w = len(headers.get(c)) + 2;
      for (int r = 0; r < systems.size(); r++) {
        String cell = c == 0 ? systems.get(r) : cells.get(r).get(c - 1);
        List<String> lines = List.of(dev.jnmt.bleu.Py.strip(cell).split("\n", -1));
        for (String l : lines) {
          w = Math.max(w, len(l));
        }
        col.add(lines);
      }
      widths[c] = w;
      columns.add(col);
    }
    StringBuilder sb = new StringBuilder();
    line(sb, widths, "\u2552", "\u2550", "\u2564", "\u2555");
    List<String> head = new ArrayList<>();
    for (int c = 0; c < ncols; c++) {
      head.add(align(headers.get(c), widths[c], c == 0));
    }
    row(sb, head);
    line(sb, widths, "\u255e", "\u2550", "\u256a", "\u2561");
    for (int r = 0; r < systems.size(); r++) {
      if (r > 0) {
        line(sb, widths, "\u251c", "\u2500", "\u253c", "\u2524");
      }
      int nlines = 0;
      for (int c = 0; c < ncols; c++) {
        nlines = Math.max(nlines, columns.get(c).get(r).size());
      }
      for (int ln = 0; ln < nlines; ln++) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < ncols; c++) {
          List<String> lines = columns.get(c).get(r);
          parts.add(
              ln < lines.size() ? align(lines.get(ln), widths[c], c == 0) : " ".repeat(widths[c]));
        }
        row(sb, parts);
      }
    }
    line(sb, widths, "\u2558", "\u2550", "\u2567", "\u255b");
    // tabulate joins the lines with \n and adds none at the end
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  private static int len(String s) {
    return s.codePointCount(0, s.length());
  }

  private static String align(String s, int width, boolean right) {
    int pad = Math.max(0, width - len(s));
    if (right) {
      return " ".repeat(pad) + s;
    }
    int left = pad / 2;
    return " ".repeat(left) + s + " ".repeat(pad - left);
  }

  private static void row(StringBuilder sb, List<String> cells) {
    StringBuilder line = new StringBuilder("\u2502");
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        line.append('\u2502');
      }
      line.append(' ').append(cells.get(c)).append(' ');
    }
    line.append('\u2502');
    sb.append(line).append('\n');
  }

  private static void line(
      StringBuilder sb, int[] widths, String begin, String fill, String sep, String end) {
    sb.append(begin);
    for (int c = 0; c < widths.length; c++) {
      if (c > 0) {
        sb.append(sep);
      }
      sb.append(fill.repeat(widths[c] + 2));
    }
    sb.append(end).append('\n');
  }
}
