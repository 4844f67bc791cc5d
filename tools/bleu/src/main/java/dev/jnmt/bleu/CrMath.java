package dev.jnmt.bleu;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Correctly rounded {@code log} and {@code exp} for doubles, computed in double-double arithmetic
 * (about 104 bits) and rounded once. CPython's {@code math.log}/{@code math.exp} call the C
 * library, whose modern implementations (glibc 2.28+) are correctly rounded in all but rare cases;
 * {@link StrictMath} (fdlibm, up to about 0.8 ulp off) is not, and gives a different last bit for
 * a few percent of arguments, which shows in the full-precision floats sacrebleu's paired tests
 * print. Results do not depend on the JIT or the CPU.
 */
final class CrMath {
  private CrMath() {}

  private static final MathContext MC = new MathContext(60);
  // ln 2 as a double-double
  private static final double LN2_HI;
  private static final double LN2_LO;
  // 1/n! for exp's Taylor series, and 1/(2k+1) for log's atanh series, as double-doubles
  private static final int EXP_TERMS = 27;
  private static final double[] FACT_HI = new double[EXP_TERMS];
  private static final double[] FACT_LO = new double[EXP_TERMS];
  private static final int LOG_TERMS = 24;
  private static final double[] ODD_HI = new double[LOG_TERMS];
  private static final double[] ODD_LO = new double[LOG_TERMS];

  static {
    // ln 2 = 0.693147180559945309417232121458176568075500134360255254120680...
    BigDecimal ln2 =
        new BigDecimal("0.69314718055994530941723212145817656807550013436025525412068000949339362");
    LN2_HI = ln2.doubleValue();
    LN2_LO = ln2.subtract(new BigDecimal(LN2_HI)).doubleValue();
    BigDecimal f = BigDecimal.ONE;
    for (int n = 0; n < EXP_TERMS; n++) {
      if (n > 0) {
        f = f.multiply(BigDecimal.valueOf(n));
      }
      BigDecimal inv = BigDecimal.ONE.divide(f, MC);
      FACT_HI[n] = inv.doubleValue();
      FACT_LO[n] = inv.subtract(new BigDecimal(FACT_HI[n])).doubleValue();
    }
    for (int k = 0; k < LOG_TERMS; k++) {
      BigDecimal inv = BigDecimal.ONE.divide(BigDecimal.valueOf(2L * k + 1), MC);
      ODD_HI[k] = inv.doubleValue();
      ODD_LO[k] = inv.subtract(new BigDecimal(ODD_HI[k])).doubleValue();
    }
  }

  /** Correctly rounded natural logarithm (special values as {@link StrictMath#log}). */
  static double log(double x) {
    if (!(x > 0) || Double.isInfinite(x) || x < Double.MIN_NORMAL) {
      return StrictMath.log(x);
    }
    if (x == 1.0) {
      return 0.0;
    }
    int e = Math.getExponent(x);
    double m = Math.scalb(x, -e); // [1, 2)
    if (m > 1.4142135623730951) {
      m *= 0.5;
      e++;
    }
    // s = (m - 1) / (m + 1), log m = 2 atanh(s)
    double num = m - 1.0; // exact (Sterbenz)
    double dh = m + 1.0;
    double dl = twoSumErr(m, 1.0, dh);
    // s = num / (dh + dl) in double-double
    double q1 = num / dh;
    double ph = q1 * dh;
    double pl = Math.fma(q1, dh, -ph) + q1 * dl;
    double r = ((num - ph) - pl) / dh;
    double sh = q1 + r;
    double sl = r - (sh - q1);
    // s^2
    double s2h = sh * sh;
    double s2l = Math.fma(sh, sh, -s2h) + 2 * sh * sl;
    // P(s^2) = sum 1/(2k+1) s^2k by Horner
    double acch = ODD_HI[LOG_TERMS - 1];
    double accl = ODD_LO[LOG_TERMS - 1];
    for (int k = LOG_TERMS - 2; k >= 0; k--) {
      // acc = acc * s2 + c_k
      double mh = acch * s2h;
      double ml = Math.fma(acch, s2h, -mh) + (acch * s2l + accl * s2h);
      double th = mh + ml;
      double tl = ml - (th - mh);
      double ah = th + ODD_HI[k];
      double al = twoSumErr(th, ODD_HI[k], ah) + tl + ODD_LO[k];
      acch = ah + al;
      accl = al - (acch - ah);
    }
    // 2 s P
    double yh = sh * acch;
    double yl = Math.fma(sh, acch, -yh) + (sh * accl + sl * acch);
    yh *= 2;
    yl *= 2;
    if (e == 0) {
      return yh + yl;
    }
    // + e ln2
    double eh = e * LN2_HI;
    double el = Math.fma(e, LN2_HI, -eh) + e * LN2_LO;
    double zh = eh + yh;
    double zl = twoSumErr(eh, yh, zh) + el + yl;
    return zh + zl;
  }

  /** Correctly rounded e^x (special values and |x| > 700 as {@link StrictMath#exp}). */
  static double exp(double x) {
    if (!(Math.abs(x) <= 700)) {
      return StrictMath.exp(x);
    }
    if (x == 0) {
      return 1.0;
    }
    double k = Math.rint(x / LN2_HI);
    // r = x - k ln2 in double-double
    double ph = k * LN2_HI;
    double pl = Math.fma(k, LN2_HI, -ph) + k * LN2_LO;
    double rh0 = x - ph; // exact for k != 0 (Sterbenz), trivially for k == 0
    double rh = rh0 - pl;
    double rl = (rh0 - rh) - pl;
    // exp(r) by Horner over 1/n!
    double acch = FACT_HI[EXP_TERMS - 1];
    double accl = FACT_LO[EXP_TERMS - 1];
    for (int n = EXP_TERMS - 2; n >= 0; n--) {
      double mh = acch * rh;
      double ml = Math.fma(acch, rh, -mh) + (acch * rl + accl * rh);
      double th = mh + ml;
      double tl = ml - (th - mh);
      double ah = th + FACT_HI[n];
      double al = twoSumErr(th, FACT_HI[n], ah) + tl + FACT_LO[n];
      acch = ah + al;
      accl = al - (acch - ah);
    }
    return Math.scalb(acch + accl, (int) k);
  }

  /** The rounding error of {@code s = a + b}. */
  private static double twoSumErr(double a, double b, double s) {
    double bb = s - a;
    return (a - (s - bb)) + (b - bb);
  }
}
