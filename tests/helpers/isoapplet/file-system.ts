/**
 * The IsoApplet's ISO 7816-4 file system (IsoFileSystem.java of applet API 0.6): a tree of DFs and
 * transparent EFs, each keeping the FCI it was created with (tag 86 = eight security condition bytes:
 * FF, DELETE SELF, LOCK, ACTIVATE, DEACTIVATE, WRITE|CREATE DF, UPDATE|CREATE EF, READ|DELETE CHILD;
 * 00 = always, 90 = PIN, FF = never). Created EFs take their full size at once, as on the card.
 */
import { type CommandApdu, fail, findTag, readLength, SW } from './apdu.js';

export interface CardFile {
  fid: number;
  fci: Buffer;
  /** Transparent EF contents; null for a DF. */
  data: Buffer | null;
  children: CardFile[];
}

/** Index of a condition byte in tag 86 for each operation (File.getACLRequirements). */
export const ACL = { DELETE_SELF: 1, CREATE_DF: 5, WRITE: 5, CREATE_EF: 6, UPDATE: 6, READ: 7, DELETE_CHILD: 7 } as const;

const MF_FCI = Buffer.from('6f0782013883023f00', 'hex');

export interface FileSystemState {
  root: SerializedFile;
}
interface SerializedFile {
  fid: number;
  fci: string;
  data: string | null;
  children: SerializedFile[];
}

export class IsoFileSystem {
  readonly root: CardFile;
  private currentDf: CardFile;
  private currentEf: CardFile | null = null;
  /** Set by a successful VERIFY (or always before a PIN exists); cleared on applet selection. */
  userAuthenticated = false;

  constructor(state?: FileSystemState) {
    this.root = state ? revive(state.root) : { fid: 0x3f00, fci: MF_FCI, data: null, children: [] };
    this.currentDf = this.root;
  }

  toJSON(): FileSystemState {
    return { root: serialize(this.root) };
  }

  /** Bytes the EFs take (their declared sizes). */
  usedBytes(file: CardFile = this.root): number {
    return (file.data?.length ?? 0) + file.children.reduce((sum, child) => sum + this.usedBytes(child), 0);
  }

  resetSelection(): void {
    this.currentDf = this.root;
    this.currentEf = null;
  }

  private check(file: CardFile | null, op: number): void {
    if (!file) return;
    const attributes = securityAttributes(file);
    if (!attributes) return;
    const condition = attributes[op]!;
    if (condition === 0x00) return;
    if ((condition === 0x90 || (condition & 0x9f) === 0x10) && this.userAuthenticated) return;
    fail(SW.SECURITY_STATUS_NOT_SATISFIED);
  }

  select(apdu: CommandApdu): Buffer {
    const { p1, p2, data } = apdu;
    if ((p2 & 0xf3) !== 0) fail(SW.INCORRECT_P1P2);
    let file: CardFile | null = null;
    switch (p1) {
      case 0x00:
        file = data.length === 0 ? this.root : data.length === 2 ? find(this.root, data.readUInt16BE(0), 'any') : fail(SW.WRONG_LENGTH);
        break;
      case 0x01:
        file = find(this.currentDf, data.readUInt16BE(0), 'df', true);
        break;
      case 0x02:
        file = find(this.currentDf, data.readUInt16BE(0), 'ef', true);
        break;
      case 0x03:
        file = this.currentDf === this.root ? null : parentOf(this.root, this.currentDf);
        break;
      case 0x04:
        file = findByName(this.root, data);
        break;
      case 0x08:
        file = byPath(this.root, data);
        break;
      case 0x09:
        file = byPath(this.currentDf, data);
        break;
      default:
        fail(SW.INCORRECT_P1P2);
    }
    if (!file) fail(SW.FILE_NOT_FOUND);
    this.setCurrent(file);
    return (p2 & 0x0c) === 0x0c ? Buffer.alloc(0) : file.fci;
  }

  private setCurrent(file: CardFile): void {
    if (file.data === null) {
      this.currentDf = file;
    } else {
      this.currentEf = file;
      this.currentDf = parentOf(this.root, file) ?? this.root;
    }
  }

  /** The selected transparent EF and the offset in P1P2 (short EF identifiers are not modelled: OpenSC does not send them here). */
  private currentTransparentEf(apdu: CommandApdu): { ef: CardFile & { data: Buffer }; offset: number } {
    if ((apdu.p1 & 0x80) !== 0) fail(SW.INCORRECT_P1P2);
    const ef = this.currentEf;
    if (!ef || ef.data === null) fail(SW.COMMAND_INCOMPATIBLE);
    return { ef: ef as CardFile & { data: Buffer }, offset: ((apdu.p1 & 0x7f) << 8) | apdu.p2 };
  }

  readBinary(apdu: CommandApdu): Buffer {
    const { ef, offset } = this.currentTransparentEf(apdu);
    this.check(ef, ACL.READ);
    const contents = ef.data;
    if (offset >= contents.length) fail(SW.OFFSET_OUTSIDE_EF);
    return contents.subarray(offset, offset + Math.min(apdu.le || 256, contents.length - offset));
  }

  updateBinary(apdu: CommandApdu): void {
    const { ef, offset } = this.currentTransparentEf(apdu);
    this.check(ef, ACL.UPDATE);
    if (offset + apdu.data.length > ef.data.length) fail(SW.OFFSET_OUTSIDE_EF);
    apdu.data.copy(ef.data, offset);
  }

  /** CREATE FILE with an FCI (tag 6F/62); `mayAllocate` says whether the card has room for `size` more bytes. */
  createFile(apdu: CommandApdu, mayAllocate: (bytes: number) => boolean): void {
    if (apdu.p1 !== 0 || apdu.p2 !== 0) fail(SW.INCORRECT_P1P2);
    const fci = Buffer.from(apdu.data);
    if (fci[0] !== 0x6f && fci[0] !== 0x62) fail(SW.DATA_INVALID);
    const { length, size } = readLength(fci, 1);
    const inner = fci.subarray(1 + size, 1 + size + length);
    const fidBytes = findTag(inner, 0x83);
    if (!fidBytes || fidBytes.length !== 2) fail(SW.DATA_INVALID);
    const fid = fidBytes.readUInt16BE(0);
    if (find(this.root, fid, 'any') || fid === this.root.fid) fail(SW.DATA_INVALID);
    const attributes = findTag(inner, 0x86);
    if (attributes && attributes.length !== 8) fail(SW.DATA_INVALID);
    const descriptor = findTag(inner, 0x82);
    if (!descriptor || descriptor.length < 1) fail(SW.DATA_INVALID);
    const isDf = (descriptor[0]! & 0x3f) === 0x38;
    this.check(this.currentDf, isDf ? ACL.CREATE_DF : ACL.CREATE_EF);
    let dataSize = 0;
    if (!isDf) {
      if ((descriptor[0]! & 0x07) !== 0x01) fail(SW.DATA_INVALID); // only transparent EFs are modelled
      const sizeBytes = findTag(inner, 0x81) ?? findTag(inner, 0x80);
      dataSize = sizeBytes ? (sizeBytes.length === 2 ? sizeBytes.readUInt16BE(0) : sizeBytes[0]!) : 128;
    }
    if (!mayAllocate(dataSize + fci.length)) fail(SW.FILE_FULL);
    const file: CardFile = { fid, fci, data: isDf ? null : Buffer.alloc(dataSize), children: [] };
    this.currentDf.children.push(file);
    this.setCurrent(file);
  }

  deleteFile(apdu: CommandApdu): void {
    if (apdu.p1 !== 0 || apdu.p2 !== 0) fail(SW.INCORRECT_P1P2);
    if (apdu.data.length !== 2) fail(SW.WRONG_LENGTH);
    const file = find(this.root, apdu.data.readUInt16BE(0), 'any');
    if (!file) fail(SW.FILE_NOT_FOUND);
    if (file === this.root) fail(SW.COMMAND_NOT_ALLOWED);
    this.check(file, ACL.DELETE_SELF);
    const parent = parentOf(this.root, file)!;
    parent.children.splice(parent.children.indexOf(file), 1);
    this.currentDf = parent;
    this.currentEf = null;
  }
}

function securityAttributes(file: CardFile): Buffer | null {
  const { length, size } = readLength(file.fci, 1);
  const attributes = findTag(file.fci.subarray(1 + size, 1 + size + length), 0x86);
  return attributes && attributes.length === 8 ? attributes : null;
}

/** Depth-first, as DedicatedFile.findChildrenRec: a FID is unique on the whole card. */
function find(dir: CardFile, fid: number, kind: 'any' | 'df' | 'ef', childrenOnly = false): CardFile | null {
  if (!childrenOnly && dir.fid === fid && kind !== 'ef') return dir;
  for (const child of dir.children) {
    if (child.fid === fid) {
      const isDf = child.data === null;
      return kind === 'any' || (kind === 'df') === isDf ? child : null;
    }
    if (child.data === null) {
      const found = find(child, fid, kind, true);
      if (found) return found;
    }
  }
  return null;
}

function findByName(dir: CardFile, name: Buffer): CardFile | null {
  const { length, size } = readLength(dir.fci, 1);
  const own = findTag(dir.fci.subarray(1 + size, 1 + size + length), 0x84);
  if (own && own.equals(name)) return dir;
  for (const child of dir.children) {
    if (child.data !== null) continue;
    const found = findByName(child, name);
    if (found) return found;
  }
  return null;
}

function byPath(start: CardFile, path: Buffer): CardFile | null {
  let dir = start;
  for (let pos = 0; pos + 1 < path.length; pos += 2) {
    const fid = path.readUInt16BE(pos);
    const child = dir.children.find((c) => c.fid === fid);
    if (!child) return null;
    if (pos + 2 >= path.length) return child;
    if (child.data !== null) return null;
    dir = child;
  }
  return null;
}

function parentOf(dir: CardFile, target: CardFile): CardFile | null {
  for (const child of dir.children) {
    if (child === target) return dir;
    const found = child.data === null ? parentOf(child, target) : null;
    if (found) return found;
  }
  return null;
}

function serialize(file: CardFile): SerializedFile {
  return { fid: file.fid, fci: file.fci.toString('hex'), data: file.data?.toString('hex') ?? null, children: file.children.map(serialize) };
}

function revive(file: SerializedFile): CardFile {
  return { fid: file.fid, fci: Buffer.from(file.fci, 'hex'), data: file.data === null ? null : Buffer.from(file.data, 'hex'), children: file.children.map(revive) };
}
