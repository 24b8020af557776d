package io.dnalab.data;

/**
 * One FASTA record.
 *
 * @param id the header up to the first whitespace
 * @param description the rest of the header, possibly empty
 * @param sequence the bases, upper case
 * @param softMaskedBases how many bases were lower case (soft-masked repeats) in the file
 * @param line the line of the header, for messages
 */
public record FastaRecord(String id, String description, String sequence, long softMaskedBases,
    long line) {}
