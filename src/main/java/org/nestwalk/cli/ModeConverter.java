package org.nestwalk.cli;

import java.util.Iterator;
import java.util.List;
import org.nestwalk.walk.ModeKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns a mode name into its {@link ModeKind}, listing the known names when it is not one. */
final class ModeConverter implements ITypeConverter<ModeKind>, Iterable<String> {
    @Override
    public ModeKind convert(String value) {
        try {
            return ModeKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    @Override
    public Iterator<String> iterator() {
        return List.of(ModeKind.values()).stream().map(ModeKind::label).iterator();
    }
}
