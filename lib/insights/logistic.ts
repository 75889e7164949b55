import { Random } from "../demo/prng";

/**
 * L2-regularised (ridge) logistic regression, fitted by Newton's method, and k-fold
 * cross-validation to choose the penalty. Pure functions over typed arrays: fast enough for
 * 50,000 accounts × 20 event types in well under the 5 s budget (npm run bench:fit).
 *
 * The model:  P(y = 1 | x) = σ(b + Σ_j β_j x_j),  σ(t) = 1 / (1 + e^−t).
 *
 * Fitted on standardised features z_j = (x_j − mean_j) / sd_j (so the penalty treats an event
 * that happens 500 times a month and one that happens twice alike, as glmnet does by
 * default), minimising
 *
 *   (1/n) Σ_i [ log(1 + e^{η_i}) − y_i η_i ]  +  (λ/2) Σ_j γ_j²,   η_i = b' + Σ_j γ_j z_ij
 *
 * (the intercept is not penalised), then mapped back to the features' own scale:
 * β_j = γ_j / sd_j, b = b' − Σ_j β_j mean_j. With `standardize: false` the penalty applies
 * to β itself; this is scikit-learn's LogisticRegression(C = 1 / (n λ)).
 */

export interface LogisticData {
  /** Features, row-major: row i is x[i·cols … i·cols + cols − 1]. */
  x: Float64Array;
  /** 1 or 0 per row. */
  y: Uint8Array;
  rows: number;
  cols: number;
}

export interface LogisticModel {
  /** Intercept and coefficients on the features' own scale. */
  intercept: number;
  coefficients: Float64Array;
  lambda: number;
  /** Newton iterations used (for the whole path up to this λ when fitted along one). */
  iterations: number;
  converged: boolean;
}

export interface FitOptions {
  /** Standardise features before penalising (default true). */
  standardize?: boolean;
  /** Fit on these rows only (default: all). */
  rows?: Int32Array;
  maxIterations?: number;
  /** Stop when no Newton step component exceeds this (on the standardised scale). */
  tolerance?: number;
}

/**
 * The data a fit works on: the chosen rows' standardised features, copied once into a dense
 * row-major matrix (n × k, k = columns with any variation) so that every Newton pass is one
 * tight loop over it.
 */
interface FitFrame extends Scaling {
  n: number;
  /** Standardised features of the used columns, row-major n × used.length. */
  z: Float64Array;
  y: Uint8Array;
}

/** Which columns a fit uses and how it centres and scales them. */
interface Scaling {
  cols: number;
  used: Int32Array;
  mean: Float64Array;
  invSd: Float64Array;
}

function scalingFor(data: LogisticData, rows: Int32Array, standardize: boolean): Scaling {
  const { x, cols } = data;
  const n = rows.length;
  const mean = new Float64Array(cols);
  const invSd = new Float64Array(cols).fill(1);
  const sumSq = new Float64Array(cols);
  for (let r = 0; r < n; r++) {
    const base = (rows[r] ?? 0) * cols;
    for (let j = 0; j < cols; j++) mean[j] = (mean[j] ?? 0) + (x[base + j] ?? 0);
  }
  for (let j = 0; j < cols; j++) mean[j] = (mean[j] ?? 0) / Math.max(n, 1);
  for (let r = 0; r < n; r++) {
    const base = (rows[r] ?? 0) * cols;
    for (let j = 0; j < cols; j++) {
      const d = (x[base + j] ?? 0) - (mean[j] ?? 0);
      sumSq[j] = (sumSq[j] ?? 0) + d * d;
    }
  }
  const used: number[] = [];
  for (let j = 0; j < cols; j++) {
    const sd = Math.sqrt((sumSq[j] ?? 0) / Math.max(n, 1));
    // A column that never varies says nothing about the outcome (and would make H singular).
    if (!(sd > 1e-12 * (1 + Math.abs(mean[j] ?? 0)))) continue;
    used.push(j);
    if (standardize) invSd[j] = 1 / sd;
  }
  if (!standardize) mean.fill(0);
  return { cols, used: Int32Array.from(used), mean, invSd };
}

function frameFor(data: LogisticData, rows: Int32Array, scaling: Scaling): FitFrame {
  const { x, cols } = data;
  const { used, mean, invSd } = scaling;
  const n = rows.length;
  const k = used.length;
  const z = new Float64Array(n * k);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const row = rows[r] ?? 0;
    const base = row * cols;
    y[r] = data.y[row] ?? 0;
    for (let a = 0; a < k; a++) {
      const j = used[a] ?? 0;
      z[r * k + a] = ((x[base + j] ?? 0) - (mean[j] ?? 0)) * (invSd[j] ?? 1);
    }
  }
  return { ...scaling, n, z, y };
}

function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/**
 * The data part of the objective at θ = (b', γ): mean loss, its gradient and Hessian (upper
 * triangle, row-major K×K with K = k + 1, intercept first). The penalty depends on λ only and
 * is added by `penalised`, so a warm start at a new λ reuses the last pass of the previous one.
 */
interface Evaluation {
  loss: number;
  gradient: Float64Array;
  hessian: Float64Array;
}

/** One pass over the rows: n·K(K+1)/2 multiply-adds for the Hessian, where the time goes. */
function evaluate(frame: FitFrame, theta: Float64Array): Evaluation {
  const { z, y, n, used } = frame;
  const k = used.length;
  const K = k + 1;
  const gradient = new Float64Array(K);
  const hessian = new Float64Array(K * K);
  // Accumulate the γ block in a k×k matrix of its own: no index shifting in the inner loop.
  const block = new Float64Array(k * k);
  const cross = new Float64Array(k);
  const gz = new Float64Array(k);
  const b0 = theta[0] ?? 0;
  const gamma = theta.subarray(1);
  let loss = 0;
  let g0 = 0;
  let h00 = 0;
  for (let r = 0; r < n; r++) {
    const base = r * k;
    let eta = b0;
    for (let a = 0; a < k; a++) eta += (gamma[a] ?? 0) * (z[base + a] ?? 0);
    const yi = y[r] ?? 0;
    loss += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - yi * eta;
    const p = eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
    const residual = p - yi;
    const w = p * (1 - p);
    g0 += residual;
    h00 += w;
    for (let a = 0; a < k; a++) {
      const za = z[base + a] ?? 0;
      gz[a] = (gz[a] ?? 0) + residual * za;
      const wa = w * za;
      cross[a] = (cross[a] ?? 0) + wa;
      const off = a * k;
      for (let b = a; b < k; b++) block[off + b] = (block[off + b] ?? 0) + wa * (z[base + b] ?? 0);
    }
  }
  gradient[0] = g0 / n;
  hessian[0] = h00 / n;
  for (let a = 0; a < k; a++) {
    gradient[a + 1] = (gz[a] ?? 0) / n;
    hessian[a + 1] = (cross[a] ?? 0) / n;
    for (let b = a; b < k; b++) hessian[(a + 1) * K + b + 1] = (block[a * k + b] ?? 0) / n;
  }
  return { loss: loss / n, gradient, hessian };
}

/** The mean loss and its gradient only: n·k work, a tenth of a pass with the Hessian. */
function lossAndGradient(frame: FitFrame, theta: Float64Array, staleHessian: Float64Array): Evaluation {
  const { z, y, n, used } = frame;
  const k = used.length;
  const gradient = new Float64Array(k + 1);
  const b0 = theta[0] ?? 0;
  let loss = 0;
  let g0 = 0;
  for (let r = 0; r < n; r++) {
    let eta = b0;
    const base = r * k;
    for (let a = 0; a < k; a++) eta += (theta[a + 1] ?? 0) * (z[base + a] ?? 0);
    const yi = y[r] ?? 0;
    loss += softplus(eta) - yi * eta;
    const residual = sigmoid(eta) - yi;
    g0 += residual;
    for (let a = 0; a < k; a++) gradient[a + 1] = (gradient[a + 1] ?? 0) + residual * (z[base + a] ?? 0);
  }
  gradient[0] = g0;
  for (let a = 0; a <= k; a++) gradient[a] = (gradient[a] ?? 0) / n;
  return { loss: loss / n, gradient, hessian: staleHessian };
}

function penaltyOf(theta: Float64Array, lambda: number): number {
  let s = 0;
  for (let a = 1; a < theta.length; a++) s += (theta[a] ?? 0) ** 2;
  return (lambda / 2) * s;
}

/** Gradient and Hessian of the penalised objective from the data part. */
function penalised(e: Evaluation, theta: Float64Array, lambda: number): { gradient: Float64Array; hessian: Float64Array } {
  const K = theta.length;
  const gradient = Float64Array.from(e.gradient);
  const hessian = Float64Array.from(e.hessian);
  for (let a = 1; a < K; a++) {
    gradient[a] = (gradient[a] ?? 0) + lambda * (theta[a] ?? 0);
    hessian[a * K + a] = (hessian[a * K + a] ?? 0) + lambda;
  }
  return { gradient, hessian };
}

/**
 * Solves H d = g for a symmetric positive-definite H given by its upper triangle (Cholesky).
 * A tiny ridge is added when H is numerically singular (unpenalised fits of separable data).
 */
export function solveSymmetric(upper: Float64Array, g: Float64Array, size: number): Float64Array {
  for (let jitter = 0; jitter <= 1e-6; jitter = jitter === 0 ? 1e-12 : jitter * 100) {
    const L = new Float64Array(size * size);
    let ok = true;
    for (let i = 0; i < size && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = (upper[j * size + i] ?? 0) + (i === j ? jitter * (1 + Math.abs(upper[i * size + i] ?? 0)) : 0);
        for (let k = 0; k < j; k++) s -= (L[i * size + k] ?? 0) * (L[j * size + k] ?? 0);
        if (i === j) {
          if (!(s > 0)) {
            ok = false;
            break;
          }
          L[i * size + i] = Math.sqrt(s);
        } else {
          L[i * size + j] = s / (L[j * size + j] ?? 1);
        }
      }
    }
    if (!ok) continue;
    const t = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      let s = g[i] ?? 0;
      for (let k = 0; k < i; k++) s -= (L[i * size + k] ?? 0) * (t[k] ?? 0);
      t[i] = s / (L[i * size + i] ?? 1);
    }
    const d = new Float64Array(size);
    for (let i = size - 1; i >= 0; i--) {
      let s = t[i] ?? 0;
      for (let k = i + 1; k < size; k++) s -= (L[k * size + i] ?? 0) * (d[k] ?? 0);
      d[i] = s / (L[i * size + i] ?? 1);
    }
    return d;
  }
  throw new Error("The Hessian is not positive definite; the fit cannot continue.");
}

interface NewtonState {
  theta: Float64Array;
  /** The data part at theta: loss and gradient exact, the Hessian perhaps from an earlier θ. */
  at: Evaluation;
  /** Whether at.hessian was computed at theta itself. */
  fresh: boolean;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let a = 0; a < v.length; a++) s += (v[a] ?? 0) ** 2;
  return Math.sqrt(s);
}

/**
 * Newton's method with a backtracking line search from state.theta (updated in place). The
 * Hessian pass costs ten times a gradient pass, so a Hessian is reused (the chord method)
 * while the gradient keeps falling fast, and recomputed when it does not, or when a full
 * step fails: along a warm-started path most λ need one Hessian and a few gradient passes.
 */
function newton(frame: FitFrame, state: NewtonState, lambda: number, maxIterations: number, tolerance: number): { iterations: number; converged: boolean } {
  const K = state.theta.length;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const { gradient, hessian } = penalised(state.at, state.theta, lambda);
    const step = solveSymmetric(hessian, gradient, K);
    let slope = 0;
    let largest = 0;
    for (let a = 0; a < K; a++) {
      slope -= (gradient[a] ?? 0) * (step[a] ?? 0);
      largest = Math.max(largest, Math.abs(step[a] ?? 0));
    }
    if (largest < tolerance) return { iterations: iteration - 1, converged: true };
    const objective = state.at.loss + penaltyOf(state.theta, lambda);
    const gradientNorm = norm(gradient);
    const candidate = new Float64Array(K);
    let t = 1;
    let accepted = false;
    for (let halvings = 0; halvings < 40; halvings++, t /= 2) {
      for (let a = 0; a < K; a++) candidate[a] = (state.theta[a] ?? 0) - t * (step[a] ?? 0);
      const trial = lossAndGradient(frame, candidate, state.at.hessian);
      if (trial.loss + penaltyOf(candidate, lambda) <= objective + 1e-4 * t * slope || largest * t < 1e3 * tolerance) {
        state.theta.set(candidate);
        state.at = trial;
        accepted = true;
        break;
      }
      if (!state.fresh) break; // a stale Hessian's step failed: refresh it and try again
    }
    if (!accepted && state.fresh) return { iterations: iteration, converged: false };
    const slow = accepted && norm(penalised(state.at, state.theta, lambda).gradient) > 0.25 * gradientNorm;
    if (!accepted || slow) {
      state.at = evaluate(frame, state.theta);
      state.fresh = true;
    } else {
      state.fresh = false;
    }
  }
  return { iterations: maxIterations, converged: false };
}

function toModel(frame: FitFrame, theta: Float64Array, lambda: number, iterations: number, converged: boolean): LogisticModel {
  const { used, mean, invSd, cols } = frame;
  const coefficients = new Float64Array(cols);
  let intercept = theta[0] ?? 0;
  for (let a = 0; a < used.length; a++) {
    const j = used[a] ?? 0;
    const beta = (theta[a + 1] ?? 0) * (invSd[j] ?? 1);
    coefficients[j] = beta;
    intercept -= beta * (mean[j] ?? 0);
  }
  return { intercept, coefficients, lambda, iterations, converged };
}

function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Where one λ of a path ended: the solution and the Hessian last used there. */
interface PathPoint {
  lambda: number;
  theta: Float64Array;
  hessian: Float64Array;
  model: LogisticModel;
}

/**
 * Fits λ from the largest to the smallest on one frame. Each λ starts from `starts` (the same
 * λ fitted on other rows, e.g. all accounts for a cross-validation fold) when given, else
 * from the previous λ's solution (a warm start).
 */
function fitPath(frame: FitFrame, lambdasDescending: readonly number[], tolerance: number, maxIterations: number, starts?: readonly PathPoint[]): PathPoint[] {
  const K = frame.used.length + 1;
  const theta = new Float64Array(K);
  let positives = 0;
  for (let r = 0; r < frame.n; r++) positives += frame.y[r] ?? 0;
  // Without a start: the intercept-only model, the log-odds of the base rate.
  theta[0] = Math.log(Math.max(positives, 0.5) / Math.max(frame.n - positives, 0.5));
  let state: NewtonState | null = null;
  const points: PathPoint[] = [];
  let iterations = 0;
  lambdasDescending.forEach((lambda, index) => {
    const start = starts?.[index];
    if (start) {
      theta.set(start.theta);
      state = { theta, at: lossAndGradient(frame, theta, start.hessian), fresh: false };
    } else {
      state ??= { theta, at: evaluate(frame, theta), fresh: true };
    }
    const run = newton(frame, state, lambda, maxIterations, tolerance);
    iterations += run.iterations;
    points.push({ lambda, theta: Float64Array.from(theta), hessian: state.at.hessian, model: toModel(frame, theta, lambda, iterations, run.converged) });
  });
  return points;
}

function descending(lambdas: readonly number[]): number[] {
  if (lambdas.some((l) => !(l >= 0))) throw new RangeError("every λ must be ≥ 0");
  return [...new Set(lambdas)].sort((a, b) => b - a);
}

/**
 * Fits one model per λ, from the largest to the smallest, each starting from the previous
 * solution (a warm start: Newton then needs a few steps per λ). Returns the models in the
 * order of `lambdas`.
 */
export function fitRidgeLogisticPath(data: LogisticData, lambdas: readonly number[], options: FitOptions = {}): LogisticModel[] {
  const rows = options.rows ?? allRows(data.rows);
  const frame = frameFor(data, rows, scalingFor(data, rows, options.standardize ?? true));
  const order = descending(lambdas);
  const points = fitPath(frame, order, options.tolerance ?? 1e-9, options.maxIterations ?? 100);
  return lambdas.map((l) => {
    const point = points[order.indexOf(l)];
    if (!point) throw new Error("no model for λ");
    return point.model;
  });
}

export function fitRidgeLogistic(data: LogisticData, lambda: number, options: FitOptions = {}): LogisticModel {
  const [model] = fitRidgeLogisticPath(data, [lambda], options);
  if (!model) throw new Error("no model");
  return model;
}

/**
 * Approximate standard errors of a fitted model's coefficients, on the features' own scale:
 * the square roots of the diagonal of the inverse penalised Hessian of the total negative
 * log-likelihood at the solution, (n·H)⁻¹ — the usual Wald errors for λ = 0, and the
 * posterior spread under the ridge's Gaussian prior otherwise. A column that never varies
 * gets 0 (its coefficient is 0 by construction).
 */
export function coefficientStandardErrors(data: LogisticData, model: LogisticModel, options: { standardize?: boolean; rows?: Int32Array } = {}): Float64Array {
  const rows = options.rows ?? allRows(data.rows);
  const frame = frameFor(data, rows, scalingFor(data, rows, options.standardize ?? true));
  const { used, mean, invSd } = frame;
  const K = used.length + 1;
  // The model in the frame's coordinates: γ_j = β_j / invSd_j, b' = b + Σ β_j mean_j.
  const theta = new Float64Array(K);
  theta[0] = model.intercept;
  for (let a = 0; a < used.length; a++) {
    const j = used[a] ?? 0;
    const beta = model.coefficients[j] ?? 0;
    theta[a + 1] = beta / (invSd[j] ?? 1);
    theta[0] += beta * (mean[j] ?? 0);
  }
  return standardErrorsAt(frame, theta, model.lambda);
}

/** coefficientStandardErrors at θ = (b', γ) in a frame's own coordinates. */
function standardErrorsAt(frame: FitFrame, theta: Float64Array, lambda: number): Float64Array {
  const { used, invSd, cols, n } = frame;
  const K = used.length + 1;
  const { hessian } = penalised(evaluate(frame, theta), theta, lambda);
  const errors = new Float64Array(cols);
  for (let a = 1; a < K; a++) {
    const unit = new Float64Array(K);
    unit[a] = 1;
    const variance = (solveSymmetric(hessian, unit, K)[a] ?? 0) / n;
    const j = used[a - 1] ?? 0;
    errors[j] = Math.sqrt(Math.max(variance, 0)) * (invSd[j] ?? 1);
  }
  return errors;
}

/** b + Σ β_j x_ij for one row of the data. */
export function linearPredictor(model: LogisticModel, data: LogisticData, row: number): number {
  let eta = model.intercept;
  const base = row * data.cols;
  for (let j = 0; j < data.cols; j++) eta += (model.coefficients[j] ?? 0) * (data.x[base + j] ?? 0);
  return eta;
}

export { sigmoid };

// ---- cross-validation ------------------------------------------------------------------

/** λ from 1 down to 10⁻⁴ in half-decades: from heavy shrinkage to almost none. */
export const DEFAULT_LAMBDAS: readonly number[] = Array.from({ length: 9 }, (_, i) => 10 ** (-i / 2));

/**
 * Assigns rows to k folds, stratified: the 1s and the 0s are each shuffled (seeded, so the
 * same data gives the same folds) and dealt round-robin, so every fold has its share of both.
 */
export function stratifiedFolds(y: Uint8Array, k: number, seed: number): Int32Array {
  const random = new Random(seed);
  const fold = new Int32Array(y.length);
  let dealt = 0;
  for (const label of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) members.push(i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      const tmp = members[i] ?? 0;
      members[i] = members[j] ?? 0;
      members[j] = tmp;
    }
    for (const row of members) fold[row] = dealt++ % k;
  }
  return fold;
}

export interface CrossValidation {
  lambdas: number[];
  folds: number;
  /** Mean held-out deviance per row, −2·log-likelihood / n, for each λ. */
  deviance: number[];
  /** Standard error of that mean across folds, for each λ. */
  devianceStandardError: number[];
  /** Index of the λ with the lowest held-out deviance. */
  best: number;
  /** Each row's linear predictor from the model fitted without its fold, at the chosen λ. */
  heldOutLinear: Float64Array;
  /** Each row's fold (0 … folds − 1). */
  fold: Int32Array;
  /** Per fold, the model fitted without it at the chosen λ (scores that fold's rows). */
  foldModels: LogisticModel[];
  /** The model at the chosen λ, fitted on every row. */
  model: LogisticModel;
  /** Approximate standard errors of that model's coefficients (see coefficientStandardErrors). */
  standardErrors: Float64Array;
}

export interface CrossValidationOptions {
  lambdas?: readonly number[];
  folds?: number;
  seed?: number;
  standardize?: boolean;
}

/**
 * k-fold cross-validation of the ridge path: for every fold, the path is fitted on the other
 * folds and scored on it (deviance); the λ with the lowest mean held-out deviance is chosen
 * and the model refitted on all rows. Needs at least `folds` rows of each outcome.
 */
export function crossValidateRidgeLogistic(data: LogisticData, options: CrossValidationOptions = {}): CrossValidation {
  const lambdas = descending(options.lambdas ?? DEFAULT_LAMBDAS);
  const k = options.folds ?? 5;
  const { y, rows: n } = data;
  let ones = 0;
  for (let i = 0; i < n; i++) ones += y[i] ?? 0;
  if (k < 2) throw new RangeError("cross-validation needs at least 2 folds");
  if (ones < k || n - ones < k) throw new RangeError(`cross-validation needs at least ${k} rows of each outcome`);

  // Features are centred and scaled once, on every row (no outcome involved), so that all
  // fits share coordinates: each fold starts every λ from the full fit at that λ, with its
  // Hessian, and usually needs only a few gradient passes.
  const everyRow = allRows(n);
  const scaling = scalingFor(data, everyRow, options.standardize ?? true);
  const fullFrame = frameFor(data, everyRow, scaling);
  const full = fitPath(fullFrame, lambdas, 1e-6, 100);

  const fold = stratifiedFolds(y, k, options.seed ?? 1);
  const heldOut = lambdas.map(() => new Float64Array(n));
  const foldModelsByLambda: LogisticModel[][] = lambdas.map(() => []);
  const foldDeviance = lambdas.map(() => new Float64Array(k));
  const foldSize = new Int32Array(k);
  for (let i = 0; i < n; i++) foldSize[fold[i] ?? 0] = (foldSize[fold[i] ?? 0] ?? 0) + 1;

  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const points = fitPath(frameFor(data, Int32Array.from(train), scaling), lambdas, 1e-5, 100, full);
    points.forEach(({ model }, l) => {
      foldModelsByLambda[l]?.push(model);
      let deviance = 0;
      for (const row of test) {
        const eta = linearPredictor(model, data, row);
        (heldOut[l] as Float64Array)[row] = eta;
        // −2 log-likelihood of one row: 2·(log(1 + e^η) − y·η).
        deviance += 2 * (softplus(eta) - (y[row] ?? 0) * eta);
      }
      (foldDeviance[l] as Float64Array)[f] = deviance / Math.max(test.length, 1);
    });
  }

  const deviance: number[] = [];
  const devianceStandardError: number[] = [];
  for (let l = 0; l < lambdas.length; l++) {
    const perFold = foldDeviance[l] as Float64Array;
    let weighted = 0;
    let plain = 0;
    for (let f = 0; f < k; f++) {
      weighted += (perFold[f] ?? 0) * (foldSize[f] ?? 0);
      plain += perFold[f] ?? 0;
    }
    const meanFold = plain / k;
    let ss = 0;
    for (let f = 0; f < k; f++) ss += ((perFold[f] ?? 0) - meanFold) ** 2;
    deviance.push(weighted / n);
    devianceStandardError.push(Math.sqrt(ss / (k - 1) / k));
  }
  let best = 0;
  for (let l = 1; l < lambdas.length; l++) if ((deviance[l] ?? Infinity) < (deviance[best] ?? Infinity)) best = l;
  const chosen = full[best];
  if (!chosen) throw new Error("no model at the chosen λ");
  // Polish the chosen λ's full fit to full precision (a step or two from where it is).
  const [polished] = fitPath(fullFrame, [chosen.lambda], 1e-9, 100, [chosen]);
  if (!polished) throw new Error("no model at the chosen λ");
  const { model } = polished;
  const standardErrors = standardErrorsAt(fullFrame, polished.theta, polished.lambda);
  return {
    lambdas,
    folds: k,
    deviance,
    devianceStandardError,
    best,
    heldOutLinear: heldOut[best] ?? new Float64Array(n),
    fold,
    foldModels: foldModelsByLambda[best] ?? [],
    model,
    standardErrors,
  };
}
