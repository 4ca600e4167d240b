package org.nestwalk.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.memory.MemoryLevel;

class ServedByTest {
    @Test
    void eachCacheLevelAndDramIsAMemoryReferenceOfThatLevel() {
        for (MemoryLevel level : MemoryLevel.values()) {
            ServedBy by = ServedBy.of(level);
            assertEquals(level.name(), by.name());
            assertTrue(by.isMemoryReference());
            assertEquals(level, by.memoryLevel());
        }
    }

    @Test
    void walkCacheHitsAreNotMemoryReferences() {
        assertFalse(ServedBy.PWC.isMemoryReference());
        assertFalse(ServedBy.NTLB.isMemoryReference());
    }
}
