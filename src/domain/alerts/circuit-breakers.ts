/** What is kept of a circuit where every leader reads it: the probe in flight is the sending process's own. */
export interface StoredCircuit {
  failures: number;
  /** Open until then; null: closed (counting failures). */
  openUntil: Date | null;
}

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

  /** Closes the endpoint's circuit; answers whether that changed anything to store. */
  succeeded(endpoint: string): boolean {
    return this.circuits.delete(endpoint);
  }

  /** Counts a failure (opening the circuit at the threshold, or again after a failed probe); answers the circuit to store. */
  failed(endpoint: string, now: Date): StoredCircuit {
    const circuit = this.circuits.get(endpoint) ?? { failures: 0, openUntil: null, probing: false };
    circuit.failures += 1;
    if (circuit.probing || circuit.failures >= this.settings.failures) circuit.openUntil = now.getTime() + this.settings.coolDownMs;
    circuit.probing = false;
    this.circuits.set(endpoint, circuit);
    return { failures: circuit.failures, openUntil: circuit.openUntil === null ? null : new Date(circuit.openUntil) };
  }

  /**
   * Takes the stored circuits as they are (another leader's, or closed by a change of the
   * contact point): an endpoint not among them is closed. A probe this process has out stays
   * out while its circuit is the same one.
   */
  load(stored: ReadonlyMap<string, StoredCircuit>): void {
    for (const endpoint of this.circuits.keys()) if (!stored.has(endpoint)) this.circuits.delete(endpoint);
    for (const [endpoint, { failures, openUntil }] of stored) {
      const openMs = openUntil === null ? null : openUntil.getTime();
      const known = this.circuits.get(endpoint);
      this.circuits.set(endpoint, { failures, openUntil: openMs, probing: known !== undefined && known.openUntil === openMs && known.probing });
    }
  }

  /** The circuits a contact point that is gone or changed no longer needs. */
  forget(endpoint: string): void {
    this.circuits.delete(endpoint);
  }
}
