package org.nestwalk.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * How nestwalk writes and reads JSON: indented, map keys in their given order, and a number that is not defined for a
 * run (a hit rate with no probes: NaN) written as {@code null}, which every JSON reader accepts.
 */
public final class Json {
    private Json() {
    }

    /** A new mapper with nestwalk's conventions; it tolerates fields a later version adds when reading. */
    public static ObjectMapper mapper() {
        SimpleModule undefinedAsNull = new SimpleModule("undefined-as-null");
        undefinedAsNull.addSerializer(Double.class, new FiniteOrNull());
        undefinedAsNull.addSerializer(double.class, new FiniteOrNull());
        return new ObjectMapper().registerModule(undefinedAsNull).enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** {@code value} (maps, lists, records, strings, numbers) as JSON text. */
    public static String write(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + value, e);
        }
    }

    private static final class FiniteOrNull extends StdSerializer<Double> {
        FiniteOrNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator g, SerializerProvider provider) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                g.writeNull();
            } else {
                g.writeNumber(value);
            }
        }
    }
}
