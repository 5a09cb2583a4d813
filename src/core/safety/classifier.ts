import { type SafetyScores, type SafetyVerdict, scoredVerdict, unknownVerdict } from './scores.ts';

/**
 * Scores an output image. Never throws and never hangs past its own timeout: a failure, a timeout or an
 * unreadable file is an `unknown` verdict, which the place's policy then decides on.
 */
export interface SafetyClassifier {
  classify(bytes: Uint8Array, mime: string): Promise<SafetyVerdict>;
  /** Stops its workers; later calls answer `unknown` (`unavailable`). */
  close(): Promise<void>;
}

/** Media types the classifier reads (still and animated images); anything else is `unsupported`. */
export const CLASSIFIABLE_MIME = new Set([
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
]);

/**
 * A classifier that answers from a script instead of a model: the seam for tests of unsafe cases (no
 * explicit image ever needs to exist) and for a deployment with the classifier switched off.
 */
export function scriptedClassifier(
  answer:
    | Partial<SafetyScores>
    | SafetyVerdict
    | ((bytes: Uint8Array, mime: string) => SafetyVerdict | Promise<SafetyVerdict>),
): SafetyClassifier & { readonly calls: { bytes: Uint8Array; mime: string }[] } {
  const calls: { bytes: Uint8Array; mime: string }[] = [];
  const verdictOf = async (bytes: Uint8Array, mime: string): Promise<SafetyVerdict> => {
    if (typeof answer === 'function') return answer(bytes, mime);
    if ('kind' in answer) return answer as SafetyVerdict;
    return scoredVerdict(answer as Partial<SafetyScores>);
  };
  let closed = false;
  return {
    calls,
    async classify(bytes, mime) {
      calls.push({ bytes, mime });
      if (closed) return unknownVerdict('unavailable');
      try {
        return await verdictOf(bytes, mime);
      } catch (error) {
        return unknownVerdict('failed', error instanceof Error ? error.message : String(error));
      }
    },
    async close() {
      closed = true;
    },
  };
}

/**
 * Bounds any classifier by a deadline and turns its exceptions into `unknown`: the engine can await it
 * without a second guard. The pool classifier already does this; wrap the others.
 */
export function withDeadline(inner: SafetyClassifier, timeoutMs: number): SafetyClassifier {
  return {
    async classify(bytes, mime) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<SafetyVerdict>((resolve) => {
        timer = setTimeout(() => resolve(unknownVerdict('timeout')), timeoutMs);
      });
      try {
        return await Promise.race([
          inner
            .classify(bytes, mime)
            .catch((error: unknown) =>
              unknownVerdict('failed', error instanceof Error ? error.message : String(error)),
            ),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => inner.close(),
  };
}
