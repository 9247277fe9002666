"""The columns of a model, in named blocks.

Every decision a model makes is a block of columns registered here: ``x`` (new land by area, sector
and year), ``viol`` (the violation of each soft-rule row), and, with yes/no decisions, blocks of
integer or binary columns. Code that reads a solution asks for a block by name (`Columns.block`,
`Block.of`) instead of slicing by position, so a new decision is one `add` in the builder.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


class Var(str, enum.Enum):
    """What values a block's columns take."""

    CONTINUOUS = "continuous"
    INTEGER = "integer"
    BINARY = "binary"


@dataclass(frozen=True)
class Block:
    """A run of columns: positions ``start .. start + size - 1``."""

    name: str
    start: int
    size: int
    var: Var

    @property
    def stop(self) -> int:
        """One past the last column."""
        return self.start + self.size

    @property
    def slice(self) -> slice:
        """The block's positions as a slice."""
        return slice(self.start, self.stop)

    def of(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """The block's part of a full column vector."""
        return x[self.start:self.stop]

    def columns(self) -> NDArray[np.int64]:
        """The block's column positions."""
        return np.arange(self.start, self.stop, dtype=np.int64)


@dataclass
class Columns:
    """Every column of a model, block by block, with bounds and names."""

    blocks: dict[str, Block] = field(default_factory=dict)
    _lo: list[NDArray[np.float64]] = field(default_factory=list)
    _hi: list[NDArray[np.float64]] = field(default_factory=list)
    _names: list[str] = field(default_factory=list)
    n: int = 0

    def add(self, name: str, names: list[str], var: Var = Var.CONTINUOUS, lo: float | NDArray[np.float64] = 0.0,
            hi: float | NDArray[np.float64] = np.inf) -> Block:
        """Register a block of ``len(names)`` columns (a binary block is bounded to [0, 1] within the bounds
        given: a yes/no that cannot be yes has `hi` 0)."""
        if name in self.blocks:
            msg = f"column block {name!r} registered twice"
            raise ValueError(msg)
        size = len(names)
        if var == Var.BINARY:
            lo, hi = np.maximum(lo, 0.0), np.minimum(hi, 1.0)
        block = Block(name, self.n, size, var)
        self.blocks[name] = block
        self._lo.append(np.broadcast_to(np.asarray(lo, dtype=float), (size,)).copy())
        self._hi.append(np.broadcast_to(np.asarray(hi, dtype=float), (size,)).copy())
        self._names.extend(names)
        self.n += size
        return block

    def set_hi(self, name: str, hi: NDArray[np.float64]) -> None:
        """Replace the upper bounds of block `name` (before the problem is made)."""
        i = list(self.blocks).index(name)
        self._hi[i] = np.minimum(np.asarray(hi, dtype=float), 1.0) if self.blocks[name].var == Var.BINARY \
            else np.asarray(hi, dtype=float)

    def block(self, name: str) -> Block:
        """The block called `name` (an empty block if the model has none: a plan with no soft rules)."""
        return self.blocks.get(name) or Block(name, self.n, 0, Var.CONTINUOUS)

    def __contains__(self, name: object) -> bool:
        return name in self.blocks

    def own(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """The model's columns of a vector that may carry more after them (an elastic model's)."""
        return x[: self.n]

    @property
    def lo(self) -> NDArray[np.float64]:
        """Lower bounds of every column."""
        return np.concatenate(self._lo) if self._lo else np.zeros(0)

    @property
    def hi(self) -> NDArray[np.float64]:
        """Upper bounds of every column."""
        return np.concatenate(self._hi) if self._hi else np.zeros(0)

    @property
    def names(self) -> list[str]:
        """Every column's name."""
        return list(self._names)

    @property
    def integer(self) -> NDArray[np.bool_]:
        """True for each column that must take a whole value."""
        out = np.zeros(self.n, dtype=bool)
        for b in self.blocks.values():
            if b.var != Var.CONTINUOUS:
                out[b.slice] = True
        return out

    @property
    def is_mip(self) -> bool:
        """True when some block is integer or binary."""
        return any(b.var != Var.CONTINUOUS and b.size for b in self.blocks.values())
