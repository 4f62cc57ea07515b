interface Circuit {
  failures: number;
  /** Open until then (ms); null: closed. */
  openUntil: number | null;
  /** Half-open: the one probe after the cool-down is out. */
  probing: boolean;
}

/**
 * A circuit per endpoint: after `failures` consecutive failures it opens and holds the
 * endpoint's deliveries for `coolDownMs`; then one probe goes out, whose success closes it and
 * whose failure opens it again. An endpoint that is down then costs an attempt a cool-down, not
 * one per notification.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly settings: { failures: number; coolDownMs: number }) {}

  /** Whether a delivery to `endpoint` may go out at `now` (the probe of a half-open circuit counts as going out). */
  allow(endpoint: string, now: Date): boolean {
    const circuit = this.circuits.get(endpoint);
    if (!circuit || circuit.openUntil === null) return true;
    if (now.getTime() < circuit.openUntil || circuit.probing) return false;
    circuit.probing = true;
    return true;
  }

  /** The endpoints held at `now`: open, or half-open with their probe out. */
  held(now: Date): string[] {
    return [...this.circuits].filter(([, circuit]) => circuit.openUntil !== null && (now.getTime() < circuit.openUntil || circuit.probing)).map(([endpoint]) => endpoint);
  }

  succeeded(endpoint: string): void {
    this.circuits.delete(endpoint);
  }

  failed(endpoint: string, now: Date): void {
    const circuit = this.circuits.get(endpoint) ?? { failures: 0, openUntil: null, probing: false };
    circuit.failures += 1;
    if (circuit.probing || circuit.failures >= this.settings.failures) circuit.openUntil = now.getTime() + this.settings.coolDownMs;
    circuit.probing = false;
    this.circuits.set(endpoint, circuit);
  }

  /** The circuits a contact point that is gone or changed no longer needs. */
  forget(endpoint: string): void {
    this.circuits.delete(endpoint);
  }
}
