/** Loop-by-loop beta-divergence from its textbook definition (Févotte & Idier 2011, eq. 4), float64. */
export function naiveBetaDivergence(V: ArrayLike<number>, L: ArrayLike<number>, beta: number): number {
  let d = 0;
  for (let i = 0; i < V.length; i++) {
    const x = V[i];
    const y = L[i];
    if (beta === 0) d += x / y - Math.log(x / y) - 1;
    else if (beta === 1) d += (x === 0 ? 0 : x * Math.log(x / y)) - x + y;
    else d += (x ** beta + (beta - 1) * y ** beta - beta * x * y ** (beta - 1)) / (beta * (beta - 1));
  }
  return d;
}
