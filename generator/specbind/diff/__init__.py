"""``specbind diff``: what changed between two versions of a spec, for whom, and how badly.

:mod:`.options` is the command line (light: ``specbind`` builds it for every command),
:mod:`.command` runs it; :mod:`.sides` loads each side through the normal pipeline,
:mod:`.compare` and :mod:`.operations` turn two IRs into findings by the rules of
:mod:`.rules`, :mod:`.evidence` proves breaking wire changes by running both sides'
generated converters, and :mod:`.report` writes the formats.

Nothing is imported here, so that importing :mod:`.options` stays cheap.
"""
