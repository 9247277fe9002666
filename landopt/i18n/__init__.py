"""Bilingual text: the input-message catalogue (`messages`) and the two-language text type it and
the rest of landopt use."""
