## Trainings (issue 6)

record-kind-training = Training
field-training_kind = Kind of training
field-organisers = Organisers
field-curriculum = Curriculum (e.g. Istanbul Protocol 2022, chapters)
field-pre_test_avg = Average score before (%)
field-post_test_avg = Average score after (%)
field-certificates_issued = Certificates issued
nav-trainings = Trainings
trainings-title = Trainings
trainings-new = New training
trainings-explain = Participants are counted by profession, sex and region; nobody is named.
trainings-health-workers = Health workers trained in the Istanbul Protocol
trainings-all-participants = All participants
trainings-none = No training recorded yet.
trainings-dates = Dates
trainings-total = Total
trainings-by-profession = Participants by profession and sex
trainings-participants = Participants
trainings-no-participants = No participants counted yet.
trainings-profession = Profession
trainings-sex = Sex
trainings-count = Number
trainings-count-help = How many of this profession, sex and region took part; 0 removes the line.
trainings-bad-count = Enter a whole number from 0 to 10 000.
