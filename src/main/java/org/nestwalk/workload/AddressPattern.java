package org.nestwalk.workload;

import org.nestwalk.random.KeyedPermutation;
import org.nestwalk.random.RandomStream;

/** Chooses the next data address inside a footprint, following an {@link AccessPattern}. */
abstract class AddressPattern {
    final long base;
    final long footprint;
    final RandomStream random;

    AddressPattern(long base, long footprint, RandomStream random) {
        this.base = base;
        this.footprint = footprint;
        this.random = random;
    }

    /** The next address: 8-byte aligned, inside [base, base + footprint). */
    abstract long next();

    /** {@link ReferenceBuffer#DEPENDENT} if each reference's address comes from the previous load. */
    byte dependentFlag() {
        return 0;
    }

    static AddressPattern of(WorkloadSpec spec, long base, RandomStream random) {
        return switch (spec.pattern()) {
            case UNIFORM -> new Uniform(base, spec.footprintBytes(), random);
            case STREAM -> new Sequential(base, spec.footprintBytes(), spec.strideBytes(), random);
            case ZIPF -> new Zipf(base, spec.footprintBytes(), spec.zipfExponent(), random);
            case CHASE -> new Chase(base, spec.footprintBytes(), random);
        };
    }

    /** Every 8-byte word equally likely (GUPS-like). */
    private static final class Uniform extends AddressPattern {
        private final long words;

        Uniform(long base, long footprint, RandomStream random) {
            super(base, footprint, random);
            this.words = footprint >>> 3;
        }

        @Override
        long next() {
            return base + (random.nextLong(words) << 3);
        }
    }

    /** Ascending addresses with a fixed stride from a random start, wrapping at the end of the footprint. */
    private static final class Sequential extends AddressPattern {
        private final long stride;
        private long offset;

        Sequential(long base, long footprint, long stride, RandomStream random) {
            super(base, footprint, random);
            this.stride = stride;
            this.offset = random.nextLong(footprint >>> 3) << 3;
        }

        @Override
        long next() {
            long va = base + offset;
            offset += stride;
            if (offset >= footprint) {
                offset -= footprint;
            }
            return va;
        }
    }

    /** Pages drawn from a Zipf law over popularity ranks, ranks scattered over the footprint, words uniform. */
    private static final class Zipf extends AddressPattern {
        private final ZipfSampler ranks;
        private final KeyedPermutation pageOfRank;

        Zipf(long base, long footprint, double exponent, RandomStream random) {
            super(base, footprint, random);
            long pages = footprint >>> 12;
            this.ranks = new ZipfSampler(pages, exponent);
            this.pageOfRank = new KeyedPermutation(pages, random);
        }

        @Override
        long next() {
            long page = pageOfRank.at(ranks.sample(random) - 1);
            return base + (page << 12) + (random.nextLong(512) << 3);
        }
    }

    /** The footprint's 64-byte lines linked in one random cycle; each load reads the address of the next. */
    private static final class Chase extends AddressPattern {
        private final KeyedPermutation order;
        private long position;

        Chase(long base, long footprint, RandomStream random) {
            super(base, footprint, random);
            this.order = new KeyedPermutation(footprint >>> 6, random);
            this.position = random.nextLong(order.size());
        }

        @Override
        long next() {
            long line = order.at(position);
            position = position + 1 == order.size() ? 0 : position + 1;
            return base + (line << 6);
        }

        @Override
        byte dependentFlag() {
            return ReferenceBuffer.DEPENDENT;
        }
    }
}
