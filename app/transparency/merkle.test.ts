import { describe, expect, it } from 'vitest'
import { consistencyProof, EMPTY_ROOT, inclusionProof, leafHash, memorySource, nodeHash, treeHash, verifyConsistency, verifyInclusion, withHashes } from './merkle'

// Known answers from transparency-dev/merkle (testonly/constants.go, proof/verify_test.go), the
// Certificate Transparency vectors for RFC 6962 hashing.
const h = (hex: string) => Buffer.from(hex, 'hex')
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h)
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h)
// [index (0-based), size, path]
const INCLUSION: [number, number, string[]][] = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [0, 1, []],
]
const CONSISTENCY: [number, number, string[]][] = [
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [1, 1, []],
]
const hashes = LEAVES.map(leafHash)
const source = memorySource(hashes)
const hex = (list: Buffer[]) => list.map((b) => b.toString('hex'))

describe('RFC 6962 Merkle tree', () => {
  it('gives the known tree heads for every size from 0 to 8', () => {
    expect(EMPTY_ROOT.equals(ROOTS[0])).toBe(true)
    for (let size = 0; size <= 8; size++) expect(treeHash(memorySource(hashes.slice(0, size)), size).toString('hex')).toBe(ROOTS[size].toString('hex'))
  })

  it('builds and checks the known inclusion proofs, and refuses every corruption of them', () => {
    for (const [index, size, want] of INCLUSION) {
      const proof = inclusionProof(source, index, size)
      expect(hex(proof)).toEqual(want)
      expect(verifyInclusion(index, size, hashes[index], proof, ROOTS[size])).toBe(true)
      if (index > 0) expect(verifyInclusion(index - 1, size, hashes[index], proof, ROOTS[size])).toBe(false)
      expect(verifyInclusion(index + 1, size, hashes[index], proof, ROOTS[size])).toBe(false)
      expect(verifyInclusion(index, size * 2, hashes[index], proof, ROOTS[size])).toBe(false)
      expect(verifyInclusion(index, size, leafHash(Buffer.from('WrongLeaf')), proof, ROOTS[size])).toBe(false)
      expect(verifyInclusion(index, size, hashes[index], proof, EMPTY_ROOT)).toBe(false)
      expect(verifyInclusion(index, size, hashes[index], [...proof, ROOTS[size]], ROOTS[size])).toBe(false)
      expect(verifyInclusion(index, size, hashes[index], [ROOTS[size], ...proof], ROOTS[size])).toBe(false)
      for (let i = 0; i < proof.length; i++) {
        const bad = proof.map((p) => Buffer.from(p))
        bad[i][0] ^= 8
        expect(verifyInclusion(index, size, hashes[index], bad, ROOTS[size])).toBe(false)
      }
      if (proof.length) expect(verifyInclusion(index, size, hashes[index], proof.slice(0, -1), ROOTS[size])).toBe(false)
    }
  })

  it('builds and checks the known consistency proofs, and refuses every corruption of them', () => {
    for (const [size1, size2, want] of CONSISTENCY) {
      const proof = consistencyProof(source, size1, size2)
      expect(hex(proof)).toEqual(want)
      expect(verifyConsistency(size1, size2, proof, ROOTS[size1], ROOTS[size2])).toBe(true)
      if (!proof.length) continue
      expect(verifyConsistency(size1 - 1, size2, proof, ROOTS[size1], ROOTS[size2])).toBe(false)
      expect(verifyConsistency(size1 + 1, size2, proof, ROOTS[size1], ROOTS[size2])).toBe(false)
      expect(verifyConsistency(size1, size2 * 2, proof, ROOTS[size1], ROOTS[size2])).toBe(false)
      expect(verifyConsistency(size1, size2, proof, ROOTS[size2], ROOTS[size1])).toBe(false)
      expect(verifyConsistency(size1, size2, [], ROOTS[size1], ROOTS[size2])).toBe(false)
      expect(verifyConsistency(size1, size2, [...proof, ROOTS[size1]], ROOTS[size1], ROOTS[size2])).toBe(false)
      expect(verifyConsistency(size1, size2, [proof[0], ...proof], ROOTS[size1], ROOTS[size2])).toBe(false)
      expect(verifyConsistency(size1, size2, proof.slice(0, -1), ROOTS[size1], ROOTS[size2])).toBe(false)
      for (let i = 0; i < proof.length; i++) {
        const bad = proof.map((p) => Buffer.from(p))
        bad[i][0] ^= 16
        expect(verifyConsistency(size1, size2, bad, ROOTS[size1], ROOTS[size2])).toBe(false)
      }
    }
    expect(verifyConsistency(2, 1, [], ROOTS[2], ROOTS[1])).toBe(false)
    expect(verifyConsistency(0, 3, [], EMPTY_ROOT, ROOTS[3])).toBe(true)
  })

  it('agrees with itself on every proof of a larger odd-sized tree', () => {
    const many = Array.from({ length: 77 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)))
    const src = memorySource(many)
    const roots = Array.from({ length: 78 }, (_, n) => treeHash(src, n))
    // An independent naive MTH, straight from RFC 6962 §2.1.
    const mth = (d: Buffer[]): Buffer => {
      if (d.length === 1) return d[0]
      let k = 1
      while (k * 2 < d.length) k *= 2
      return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)))
    }
    for (let n = 1; n <= 77; n++) {
      expect(roots[n].equals(mth(many.slice(0, n)))).toBe(true)
      for (const i of [0, n >> 1, n - 1]) expect(verifyInclusion(i, n, many[i], inclusionProof(src, i, n), roots[n])).toBe(true)
      for (const m of [1, n >> 1, n - 1]) if (m >= 1 && m <= n) expect(verifyConsistency(m, n, consistencyProof(src, m, n), roots[m], roots[n])).toBe(true)
    }
  })

  it('fetches the hashes a proof needs in one batch', async () => {
    let calls = 0
    const proof = await withHashes(
      (read) => inclusionProof(read, 5, 8),
      async (keys) => {
        calls++
        return keys.map((k) => source(k.level, k.index))
      },
    )
    expect(calls).toBe(1)
    expect(hex(proof)).toEqual(INCLUSION[1][2])
  })
})
