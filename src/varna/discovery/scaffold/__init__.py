"""``varna register scaffold``: a draft register from a live system.

:mod:`.model` holds what is read and what is planned, :mod:`.columns` guesses what a column
holds, :mod:`.planner` plans the draft (pure), :mod:`.writer` writes it as YAML with a reason
for every guess and a TODO for every decision. The service reads the system
(:meth:`varna.core.Varna.scaffold_register`).
"""
