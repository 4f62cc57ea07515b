import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where the key came from, for the errors that name it. */
export interface SecretKey {
  key: Buffer;
  /** `ALERT_SECRET_KEY`, or the file the embedded server made it in. */
  source: string;
}

/**
 * Contact point secrets at rest: AES-256-GCM under ALERT_SECRET_KEY, bound to the contact point
 * (its id is the additional data), so a secret copied onto another row does not open.
 * Sealed: `v1.` and the base64 of the IV, the tag and the ciphertext.
 */
export class SecretBox {
  constructor(private readonly secretKey: SecretKey | null) {}

  seal(plain: string, contactPointId: string): string {
    const { key } = this.required();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(contactPointId));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  open(sealed: string, contactPointId: string): string {
    const { key, source } = this.required();
    const [format, body] = sealed.split('.');
    const bytes = Buffer.from(body ?? '', 'base64');
    if (format !== FORMAT || bytes.length < IV_BYTES + TAG_BYTES) throw new Error(`The secret of contact point ${contactPointId} is not one Runtrail sealed (${FORMAT}); save the contact point again with its secret`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(contactPointId));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        `The secret of contact point ${contactPointId} does not decrypt with the key of ${source}: it was sealed under another key. ` +
          'Every process must run with the same ALERT_SECRET_KEY; set the key it was saved with, or save the contact point again with its secret',
      );
    }
  }

  private required(): SecretKey {
    if (this.secretKey === null) {
      throw new AppError(
        'CONFLICT',
        'Contact point secrets need ALERT_SECRET_KEY, which this server was started without: set it to 32 random bytes (`openssl rand -base64 32`), the same in every process of the deployment, and restart',
      );
    }
    return this.secretKey;
  }
}
