/**
 * The beta-divergence D_beta(V | L) summed over all entries (Févotte & Idier 2011):
 * beta = 0 Itakura-Saito, 1 Kullback-Leibler, 2 half squared Euclidean distance. `count` entries of
 * V and L are read; V may hold zeros for beta >= 1 (for beta < 1 the caller floors V). Accumulates in
 * float64 so a sum over millions of entries keeps its digits.
 */
export function betaDivergence(V: Float32Array, L: Float32Array, count: number, beta: number): number {
  let sum = 0;
  if (beta === 1) {
    for (let i = 0; i < count; i++) {
      const v = V[i];
      const l = L[i];
      sum += v > 0 ? v * Math.log(v / l) - v + l : l;
    }
  } else if (beta === 0) {
    for (let i = 0; i < count; i++) {
      const q = V[i] / L[i];
      sum += q - Math.log(q) - 1;
    }
  } else if (beta === 2) {
    for (let i = 0; i < count; i++) {
      const d = V[i] - L[i];
      sum += 0.5 * d * d;
    }
  } else {
    const c = 1 / (beta * (beta - 1));
    for (let i = 0; i < count; i++) {
      const v = V[i];
      const l = L[i];
      sum += c * (Math.pow(v, beta) + (beta - 1) * Math.pow(l, beta) - beta * v * Math.pow(l, beta - 1));
    }
  }
  return sum;
}

/** Exponent of the MM multiplicative update, gamma(beta) (Févotte & Idier 2011, Table 2). */
export function muExponent(beta: number): number {
  if (beta < 1) return 1 / (2 - beta);
  if (beta > 2) return 1 / (beta - 1);
  return 1;
}
